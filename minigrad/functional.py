"""Composite tensor operations: built from the primitives in ``minigrad.ops``, so they need
no backward of their own; the chain rule through their parts is their gradient.
"""
from __future__ import annotations

import builtins
from collections import namedtuple

import numpy as np

from . import ops
from .ops._common import constant, normalize_dims
from .dtypes import get_default_dtype
from .static.hooks import kernel
from .tensor import Tensor, _operands

values_indices = namedtuple("values_indices", ["values", "indices"])


def _tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


# ------------------------------------------------------------------ arithmetic
def add(a, b):
    return ops.Add.apply(*_operands(a, b))


def mul(a, b):
    return ops.Mul.apply(*_operands(a, b))


def div(a, b):
    """a / b. True division: integer operands give float32, as in PyTorch."""
    a, b = _operands(a, b)
    if a.dtype.kind != "f":
        a, b = a.astype(get_default_dtype()), b.astype(get_default_dtype())
    return ops.Div.apply(a, b)


def matmul(a, b):
    return ops.MatMul.apply(*_operands(a, b))


def compare(numpy_compare, a, b) -> Tensor:
    """An elementwise comparison: a bool tensor, carrying no gradient."""
    a, b = _operands(a, b)
    return Tensor._make(kernel(numpy_compare, a.data, b.data), False, None)


def exp(x):
    return _tensor(x).exp()


def log(x):
    return _tensor(x).log()


def sqrt(x):
    return _tensor(x).sqrt()


def tanh(x):
    return _tensor(x).tanh()


def sigmoid(x):
    return _tensor(x).sigmoid()


def relu(x):
    return _tensor(x).relu()


def clamp(x, min=None, max=None):
    """min(max(x, min), max). Either bound may be None."""
    if min is None and max is None:
        raise ValueError("clamp needs at least one of min and max")
    return ops.Clamp.apply(_tensor(x), low=min, high=max)


def maximum(a, b):
    return ops.Maximum.apply(*_operands(a, b))


def minimum(a, b):
    return ops.Minimum.apply(*_operands(a, b))


def where(condition, x, y):
    """x where condition holds, else y. The condition carries no gradient."""
    condition = constant(condition.data if isinstance(condition, Tensor) else condition)
    if condition.dtype != bool:
        raise TypeError(f"where expects a bool condition; got dtype {condition.dtype}")
    x, y = _operands(x, y)
    return ops.Where.apply(condition, x, y)


def clone(x):
    return ops.Clone.apply(x)


# ------------------------------------------------------------------ reductions
def _count(x: Tensor, dim) -> int:
    axes = normalize_dims(dim, x.ndim)
    return x.numel() if axes is None else int(np.prod([x.shape[a] for a in axes]))


def mean(x, dim=None, keepdim=False):
    """sum(x) / n over ``dim``."""
    x = _tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(f"mean needs a floating-point tensor; got dtype {x.dtype}")
    return x.sum(dim, keepdim) / float(_count(x, dim))


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """sum((x - mean)^2) / (n - correction); ``correction`` defaults to 1 (Bessel), and
    ``unbiased=False`` means correction 0, as in PyTorch."""
    if correction is None:
        correction = 0 if unbiased is False else 1
    elif unbiased is not None:
        raise ValueError("pass either unbiased or correction to var/std, not both")
    centered = x - x.mean(dim, keepdim=True)
    dof = _count(x, dim) - correction
    return (centered * centered).sum(dim, keepdim) / float(dof if dof > 0 else 0)


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """sqrt(var(x))."""
    return var(x, dim, unbiased, keepdim, correction=correction).sqrt()


def _extreme(x, dim, keepdim, full_reduction, arg):
    if dim is None:
        return full_reduction.apply(x)
    indices = arg(x, dim, keepdim=True)
    values = gather(x, dim, indices)
    if not keepdim:
        values, indices = values.squeeze(dim), indices.squeeze(dim)
    return values_indices(values, indices)


def max(x, dim=None, keepdim=False):
    """``x.max()``: the largest element (ties share the gradient evenly).
    ``x.max(dim)``: ``(values, indices)``; the gradient goes to the element at ``indices``."""
    return _extreme(x, dim, keepdim, ops.Amax, argmax)


def min(x, dim=None, keepdim=False):
    """Like ``max``, for the smallest element."""
    return _extreme(x, dim, keepdim, ops.Amin, argmin)


def argmax(x, dim=None, keepdim=False) -> Tensor:
    return Tensor._make(kernel(_arg, np.argmax, x.data, dim, keepdim), False, None)


def argmin(x, dim=None, keepdim=False) -> Tensor:
    return Tensor._make(kernel(_arg, np.argmin, x.data, dim, keepdim), False, None)


def _arg(find, data, dim, keepdim):
    """The int64 index of the extreme ``find`` picks: over all elements, or along ``dim``."""
    if dim is None:
        return np.asarray(find(data), dtype=np.int64)
    return np.asarray(find(data, axis=dim, keepdims=keepdim), dtype=np.int64)


def _shifted_and_log_total(x, dim):
    """(x - m, log(sum(exp(x - m)))) along ``dim``, m the maximum, kept as separate terms.

    m is a constant (its gradient would cancel) and exp(x - m) <= 1 never overflows; an
    infinite m is replaced by 0 so inf - inf never occurs. Callers must not add m back to the
    small log term before subtracting it from x: for float32 logits near 1e8 the spacing
    between representable numbers is 8, so m + log(k) rounds back to m, and
    x - (m + log(k)) would lose the whole log term."""
    shift = constant(kernel(_finite_max, x.data, dim))  # a kernel: replayed when compiled
    shifted = x - shift
    return shifted, shift, shifted.exp().sum(dim, keepdim=True).log()


def logsumexp(x, dim, keepdim=False):
    """log(sum(exp(x))) over ``dim`` (an int or a tuple), stable for any magnitude:
    logsumexp(x) = m + log(sum(exp(x - m))) with m = max(x), so exp never overflows. Its
    gradient, softmax(x), comes from exp(x - m) / sum: tied maxima get 1/k each."""
    _, shift, log_total = _shifted_and_log_total(x, dim)
    total = log_total + shift
    if keepdim:
        return total
    axes = normalize_dims(dim, x.ndim)
    return total.reshape(tuple(n for i, n in enumerate(x.shape) if i not in axes))


def _finite_max(data, dim):
    shift = np.max(data, axis=dim, keepdims=True)
    return np.where(np.isfinite(shift), shift, 0).astype(data.dtype, copy=False)


def log_softmax(x, dim):
    """log softmax(x) = (x - m) - log(sum(exp(x - m))), m = max(x) along ``dim``: never forms
    a probability that underflows, and never adds m to the small log term (which float32
    rounds away for large logits) before subtracting."""
    shifted, _, log_total = _shifted_and_log_total(x, dim)
    return shifted - log_total


def softmax(x, dim):
    """exp(x - max) / sum(exp(x - max)) along ``dim``."""
    shifted = x - constant(kernel(np.max, x.data, dim, keepdims=True))
    e = shifted.exp()
    return e / e.sum(dim, keepdim=True)


# ------------------------------------------------------------------ shape
def _dim(dim, ndim):
    if not -ndim <= dim < ndim:
        raise IndexError(f"dimension {dim} is out of range for a tensor with {ndim} dimensions")
    return dim % ndim


def transpose(x, dim0, dim1):
    dims = list(range(x.ndim))
    d0, d1 = _dim(dim0, x.ndim), _dim(dim1, x.ndim)
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return ops.Permute.apply(x, dims=tuple(dims))


def squeeze(x, dim=None):
    """Drop size-1 dimensions (all, or only ``dim`` if it has size 1, as PyTorch)."""
    if dim is None:
        shape = tuple(n for n in x.shape if n != 1)
    else:
        d = _dim(dim, builtins.max(x.ndim, 1)) if x.ndim else 0
        shape = x.shape if x.ndim == 0 or x.shape[d] != 1 else x.shape[:d] + x.shape[d + 1:]
    return x if shape == x.shape else x.reshape(shape)


def unsqueeze(x, dim):
    d = _dim(dim, x.ndim + 1)
    return x.reshape(x.shape[:d] + (1,) + x.shape[d:])


def flatten(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return x.reshape(1)
    start, end = _dim(start_dim, x.ndim), _dim(end_dim, x.ndim)
    return x.reshape(x.shape[:start] + (-1,) + x.shape[end + 1:])


def broadcast_to(x, shape):
    shape = tuple(shape)
    if x.shape == shape:
        return x
    try:
        np.broadcast_shapes(x.shape, shape)
        if len(shape) < x.ndim or np.broadcast_shapes(x.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(f"cannot broadcast a tensor of shape {x.shape} to shape {shape}") from None
    return ops.BroadcastTo.apply(x, shape=shape)


def expand(x, shape):
    """PyTorch's ``expand``: like broadcast_to, with -1 meaning "keep this size"."""
    offset = len(shape) - x.ndim
    resolved = tuple(x.shape[i - offset] if n == -1 and i >= offset else n
                     for i, n in enumerate(shape))
    return broadcast_to(x, resolved)


def gather(x, dim, index):
    """out[i][j] = x[i][index[i][j]] (for dim=1), PyTorch's ``gather``; gradients
    scatter-add back, so repeated indices accumulate."""
    index = index.data if isinstance(index, Tensor) else np.asarray(index)
    dim = _dim(dim, x.ndim)
    if index.ndim != x.ndim:
        raise ValueError(f"gather: index has {index.ndim} dimensions but the input has {x.ndim}")
    grid = list(np.ix_(*[np.arange(n) for n in index.shape]))
    grid[dim] = index
    return x[tuple(grid)]


def cat(tensors, dim=0):
    """Join tensors along an existing dimension."""
    tensors = [_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("cat needs at least one tensor")
    first = tensors[0].shape
    d = _dim(dim, len(first))
    for i, t in enumerate(tensors[1:], 1):
        if t.ndim != len(first) or t.shape[:d] + t.shape[d + 1:] != first[:d] + first[d + 1:]:
            raise ValueError(f"cat along dim {dim}: tensor {i} has shape {t.shape}, which does "
                             f"not match tensor 0's shape {first} outside that dimension")
    return ops.Cat.apply(*tensors, dim=d)


def stack(tensors, dim=0):
    """Join tensors of equal shape along a new dimension."""
    tensors = [_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack needs at least one tensor")
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != tensors[0].shape:
            raise ValueError(f"stack expects tensors of equal shape; tensor 0 has shape "
                             f"{tensors[0].shape} and tensor {i} has {t.shape}")
    return cat([t.unsqueeze(dim) for t in tensors], dim)


def pad(x, pad, value=0.0):
    """PyTorch's constant F.pad: ``pad`` lists (before, after) from the last dimension back."""
    return ops.Pad.apply(x, pad=tuple(pad), value=value)


def norm(x, p="fro", dim=None, keepdim=False):
    """The vector p-norm (sum |x|^p)^(1/p) over ``dim`` (all elements by default); p = 2 and
    "fro" give sqrt(sum x^2), p = inf the largest |x|, as PyTorch's ``Tensor.norm``."""
    if p in ("fro", 2, 2.0):
        return (x * x).sum(dim, keepdim).sqrt()
    if p == float("inf"):
        return x.abs().amax(dim, keepdim)
    if p == 1:
        return x.abs().sum(dim, keepdim)
    return (x.abs() ** p).sum(dim, keepdim) ** (1.0 / p)
