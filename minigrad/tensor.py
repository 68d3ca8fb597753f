"""``Tensor``: a NumPy array plus the op that made it.

``Tensor.data`` is the array, ``Tensor.grad`` a Tensor (or None), ``Tensor.grad_fn`` the
``Function`` that produced it (None for leaves). Every differentiable method below is a
one-line wrapper around a primitive in ``minigrad.ops`` or a composite in
``minigrad.functional``; the math lives there.

dtypes follow PyTorch: Python floats become float32; NumPy arrays keep their dtype; a Python
scalar never changes a float tensor's dtype (float32 * 2.5 stays float32), and an integer
tensor combined with a Python float becomes float32.
"""
from __future__ import annotations

import numpy as np

from .dtypes import DEFAULT_FLOAT, _is_float, result_dtype
from .hooks import RemovableHandle


def _to_array(data, dtype=None) -> np.ndarray:
    if isinstance(data, Tensor):
        array = data.data
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    else:
        array = np.array(data)
        if array.dtype == np.float64:
            array = array.astype(DEFAULT_FLOAT)  # Python floats default to float32
    if array.dtype.kind not in "biuf":
        raise TypeError(f"cannot make a tensor from data of dtype {array.dtype}; "
                        "expected numbers or booleans")
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return array


def _operands(a, b):
    """Both operands as Tensors of their common dtype (scalars become 0-d constants)."""
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a.data.dtype == b.data.dtype:
        return a, b  # the common case, on every op's hot path: nothing to decide
    dtype = result_dtype(a, b)
    if not isinstance(a, Tensor):
        a = Tensor._make(np.asarray(a, dtype=dtype), False, None)
    elif a.dtype != dtype:
        a = a.astype(dtype)
    if not isinstance(b, Tensor):
        b = Tensor._make(np.asarray(b, dtype=dtype), False, None)
    elif b.dtype != dtype:
        b = b.astype(dtype)
    return a, b


def _shape_args(shape):
    """Accept both ``f(2, 3)`` and ``f((2, 3))``, as PyTorch does."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


class Tensor:
    __slots__ = ("data", "_requires_grad", "grad", "grad_fn", "_version", "_hooks",
                 "_retains_grad", "__weakref__")
    __array_ufunc__ = None  # NumPy defers to our reflected operators: array * tensor works

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        self.data = _to_array(data, dtype)
        self.grad = None
        self.grad_fn = None
        self._version = 0
        self._hooks = None
        self._retains_grad = False
        self._requires_grad = False
        self.requires_grad = requires_grad

    @classmethod
    def _make(cls, data: np.ndarray, requires_grad: bool, grad_fn) -> Tensor:
        # The hot path of every op: no validation, no conversion.
        t = object.__new__(cls)
        t.data, t._requires_grad, t.grad_fn = data, requires_grad, grad_fn
        t.grad, t._version, t._hooks, t._retains_grad = None, 0, None, False
        return t

    # ---------------------------------------------------------------- properties
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool):
        if value and not _is_float(self.data.dtype):
            raise RuntimeError(f"only floating-point tensors can require gradients; this tensor "
                               f"has dtype {self.data.dtype}")
        if not value and self.grad_fn is not None:
            raise RuntimeError("requires_grad can only be switched off on leaf tensors; "
                               "use .detach() for a non-leaf")
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def size(self, dim: int | None = None):
        """PyTorch's ``size()``: the shape, or the length of one dimension."""
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self) -> int:
        return self.data.size

    def dim(self) -> int:
        return self.data.ndim

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    # ---------------------------------------------------------------- conversion
    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError("can't call numpy() on a tensor that requires grad; "
                               "use tensor.detach().numpy()")
        return self.data

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element; this one has shape "
                             f"{self.shape}")
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def detach(self) -> Tensor:
        """The same data, cut off from the graph."""
        return Tensor._make(self.data, False, None)

    def clone(self) -> Tensor:
        return F.clone(self)

    def astype(self, dtype) -> Tensor:
        return self if self.dtype == np.dtype(dtype) else ops.AsType.apply(self, dtype=dtype)

    to = astype

    def float(self) -> Tensor:
        return self.astype(np.float32)

    def double(self) -> Tensor:
        return self.astype(np.float64)

    def long(self) -> Tensor:
        return self.astype(np.int64)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self.data.size != 1:
            raise RuntimeError(f"the truth value of a tensor with {self.data.size} elements is "
                               "ambiguous")
        return bool(self.data)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extra = "" if self.dtype == np.float32 or self.dtype == np.int64 else f", dtype={self.dtype}"
        if self.grad_fn is not None:
            extra += f", grad_fn=<{self.grad_fn.name}>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    # ---------------------------------------------------------------- autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        autograd.backward(self, gradient, retain_graph, create_graph)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a non-None return
        value replaces the gradient. Returns a handle whose ``remove()`` unregisters it."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that does not require grad")
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self._hooks, hook)

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after backward."""
        if self.grad_fn is not None:
            self._retains_grad = True

    # ---------------------------------------------------------------- in-place
    def _check_inplace(self):
        if self.requires_grad and self.grad_fn is None and autograd.is_grad_enabled():
            raise RuntimeError("a leaf tensor that requires grad is being used in an in-place "
                               "operation; wrap the update in minigrad.no_grad()")

    def _inplace(self, values):
        self._check_inplace()
        self.data[...] = values
        self._version += 1
        return self

    def zero_(self):
        return self._inplace(0)

    def fill_(self, value):
        return self._inplace(value)

    def copy_(self, source):
        return self._inplace(_to_array(source))

    def add_(self, other, alpha=1):
        return self._inplace(self.data + alpha * _to_array(other))

    def sub_(self, other, alpha=1):
        return self._inplace(self.data - alpha * _to_array(other))

    def mul_(self, other):
        return self._inplace(self.data * _to_array(other))

    def __setitem__(self, index, value):
        self._check_inplace()
        self.data[ops.normalize_index(index)] = _to_array(value)
        self._version += 1

    # ---------------------------------------------------------------- arithmetic
    def __add__(self, other):
        return ops.Add.apply(*_operands(self, other))

    def __radd__(self, other):
        return ops.Add.apply(*_operands(other, self))

    def __sub__(self, other):
        return ops.Sub.apply(*_operands(self, other))

    def __rsub__(self, other):
        return ops.Sub.apply(*_operands(other, self))

    def __mul__(self, other):
        return ops.Mul.apply(*_operands(self, other))

    def __rmul__(self, other):
        return ops.Mul.apply(*_operands(other, self))

    def __truediv__(self, other):
        return F.div(self, other)

    def __rtruediv__(self, other):
        return F.div(other, self)

    def __pow__(self, exponent):
        return ops.Pow.apply(*_operands(self, exponent))

    def __rpow__(self, base):
        return ops.Pow.apply(*_operands(base, self))

    def __neg__(self):
        return ops.Neg.apply(self)

    def __abs__(self):
        return ops.Abs.apply(self)

    def __matmul__(self, other):
        return ops.MatMul.apply(*_operands(self, other))

    def __rmatmul__(self, other):
        return ops.MatMul.apply(*_operands(other, self))

    # Comparisons carry no gradient. Tensors stay hashable by identity, as in PyTorch.
    __hash__ = object.__hash__

    def __eq__(self, other):
        return F.compare(np.equal, self, other)

    def __ne__(self, other):
        return F.compare(np.not_equal, self, other)

    def __lt__(self, other):
        return F.compare(np.less, self, other)

    def __le__(self, other):
        return F.compare(np.less_equal, self, other)

    def __gt__(self, other):
        return F.compare(np.greater, self, other)

    def __ge__(self, other):
        return F.compare(np.greater_equal, self, other)

    # ---------------------------------------------------------------- elementwise
    def exp(self):
        return ops.Exp.apply(self)

    def log(self):
        return ops.Log.apply(self)

    def sqrt(self):
        return ops.Sqrt.apply(self)

    def abs(self):
        return ops.Abs.apply(self)

    def tanh(self):
        return ops.Tanh.apply(self)

    def sigmoid(self):
        return ops.Sigmoid.apply(self)

    def relu(self):
        return ops.ReLU.apply(self)

    def clamp(self, min=None, max=None):
        return F.clamp(self, min, max)

    clip = clamp

    def maximum(self, other):
        return F.maximum(self, other)

    def minimum(self, other):
        return F.minimum(self, other)

    # ---------------------------------------------------------------- reductions
    def sum(self, dim=None, keepdim=False):
        return ops.Sum.apply(self, dim=dim, keepdim=keepdim)

    def mean(self, dim=None, keepdim=False):
        return F.mean(self, dim, keepdim)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return F.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return F.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, dim=None, keepdim=False):
        return F.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return F.min(self, dim, keepdim)

    def amax(self, dim=None, keepdim=False):
        return ops.Amax.apply(self, dim=dim, keepdim=keepdim)

    def amin(self, dim=None, keepdim=False):
        return ops.Amin.apply(self, dim=dim, keepdim=keepdim)

    def argmax(self, dim=None, keepdim=False):
        return F.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return F.argmin(self, dim, keepdim)

    def logsumexp(self, dim, keepdim=False):
        return F.logsumexp(self, dim, keepdim)

    def softmax(self, dim):
        return F.softmax(self, dim)

    def log_softmax(self, dim):
        return F.log_softmax(self, dim)

    def sum_to_shape(self, shape):
        return self if self.shape == tuple(shape) else ops.SumTo.apply(self, shape=tuple(shape))

    # ---------------------------------------------------------------- shape
    def reshape(self, *shape):
        return ops.Reshape.apply(self, shape=_shape_args(shape))

    view = reshape

    def flatten(self, start_dim=0, end_dim=-1):
        return F.flatten(self, start_dim, end_dim)

    def permute(self, *dims):
        return ops.Permute.apply(self, dims=_shape_args(dims))

    def transpose(self, dim0, dim1):
        return F.transpose(self, dim0, dim1)

    @property
    def T(self):
        return ops.Permute.apply(self, dims=tuple(range(self.ndim))[::-1])

    @property
    def mT(self):
        return F.transpose(self, -2, -1)

    def squeeze(self, dim=None):
        return F.squeeze(self, dim)

    def unsqueeze(self, dim):
        return F.unsqueeze(self, dim)

    def expand(self, *shape):
        return F.expand(self, _shape_args(shape))

    def broadcast_to(self, *shape):
        return F.broadcast_to(self, _shape_args(shape))

    def expand_as(self, other):
        return F.broadcast_to(self, other.shape)

    def __getitem__(self, index):
        return ops.GetItem.apply(self, index=ops.normalize_index(index))

    def gather(self, dim, index):
        return F.gather(self, dim, index)


# Imported last: ops and functional build on Tensor.
from . import autograd, ops  # noqa: E402
from . import functional as F  # noqa: E402
