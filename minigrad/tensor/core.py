"""The ``Tensor`` class: its data, its place in the graph, and how it prints.

The methods live in one module per concept (see ``minigrad/tensor/__init__.py``) and are
mixed in here; this file holds only what every tensor is: an array, a gradient, the
``Function`` that made it, a version counter for in-place checks, and hooks.
"""
from __future__ import annotations

import numpy as np

from ..dtypes import DEFAULT_FLOAT, _is_float  # noqa: F401  (re-exported)
from ..hooks import RemovableHandle
from .aliases import Aliases
from .arithmetic import ArithmeticMethods
from .conversion import ConversionMethods, _to_array
from .inplace import InplaceMethods
from .pointwise import PointwiseMethods
from .reductions import ReductionMethods
from .sampling import SamplingMethods
from .shape import ShapeMethods, _shape_args

# Bound by minigrad.tensor once the class exists (autograd builds on Tensor).
autograd = ops = F = None


class Tensor(ArithmeticMethods, PointwiseMethods, ReductionMethods, ShapeMethods,
             ConversionMethods, InplaceMethods, SamplingMethods, Aliases):
    # _views (set only on a tensor that has views in a graph) and _detached_from (only on a
    # tensor made by detach()): see autograd/rebase.py.
    __slots__ = ("array", "_requires_grad", "grad", "grad_fn", "_version", "_hooks",
                 "_retains_grad", "_views", "_detached_from", "__weakref__")
    __array_ufunc__ = None  # NumPy defers to our reflected operators: array * tensor works
    __hash__ = object.__hash__  # hashable by identity although == is elementwise, as in PyTorch

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        self.array = _to_array(data, dtype)
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
        t.array, t._requires_grad, t.grad_fn = data, requires_grad, grad_fn
        t.grad, t._version, t._hooks, t._retains_grad = None, 0, None, False
        return t

    # ---------------------------------------------------------------- properties
    @property
    def data(self) -> Tensor:
        """PyTorch's ``.data``: a tensor that shares this one's array, detached from the graph.

        Changing it in place (``p.data.add_(-lr * p.grad)``, ``p.data.normal_()``) changes this
        tensor without being recorded and without bumping this tensor's version counter, as in
        PyTorch (that is what distinguishes it from ``detach()``). minigrad's own code reads the
        NumPy array directly, as ``.array``.
        """
        return Tensor._make(self.array, False, None)

    @data.setter
    def data(self, value):
        # ``p.data = t`` swaps the array (the shape may change); ``p.data -= x`` ends here too,
        # with the same array it already changed in place.
        if not isinstance(value, Tensor):
            raise TypeError(f"Tensor.data must be set to a Tensor, not {type(value).__name__}")
        self.array = value.array

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool):
        if value and not _is_float(self.array.dtype):
            raise RuntimeError(f"only floating-point tensors can require gradients; this tensor "
                               f"has dtype {self.array.dtype}")
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
        return self.array.shape

    @property
    def ndim(self) -> int:
        return self.array.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.array.dtype

    def size(self, dim: int | None = None):
        """PyTorch's ``size()``: the shape, or the length of one dimension."""
        return self.array.shape if dim is None else self.array.shape[dim]

    def numel(self) -> int:
        return self.array.size

    def dim(self) -> int:
        return self.array.ndim

    def __len__(self):
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    # ---------------------------------------------------------------- Python values
    def item(self):
        if self.array.size != 1:
            raise ValueError(f"item() needs a tensor with one element; this one has shape "
                             f"{self.shape}")
        return self.array.item()

    def tolist(self):
        return self.array.tolist()

    def __array__(self, dtype=None, copy=None):
        return self.array if dtype is None else self.array.astype(dtype)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        # An integer tensor can index a Python list: classes[pred.argmax()].
        if self.array.dtype.kind not in "iub" or self.array.size != 1:
            raise TypeError(f"only integer tensors of one element can be converted to an index; "
                            f"this one has dtype {self.dtype} and shape {self.shape}")
        return int(self.array.item())

    def __bool__(self):
        if self.array.size != 1:
            raise RuntimeError(f"the truth value of a tensor with {self.array.size} elements is "
                               "ambiguous")
        return bool(self.array)

    def __format__(self, spec):
        # '{:.2f}'.format(t) formats a 0-d tensor's value, as in PyTorch.
        if self.array.ndim == 0:
            return format(self.array.item(), spec)
        return format(repr(self), spec)

    def __repr__(self):
        body = np.array2string(self.array, separator=", ", prefix="tensor(")
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
