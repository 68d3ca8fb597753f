"""``cumsum``/``cumprod`` (primitives in ``ops.cumulative``) and the scatters (primitives in
``ops.scatter``), with PyTorch's argument checks and dtypes."""
from __future__ import annotations

import numpy as np

from .. import ops
from ..ops._common import constant
from ..tensor import Tensor
from .shape import _dim


def _cumulative(op, x, dim, dtype):
    if dtype is not None:
        x = x.to(dtype)
    elif x.dtype.kind in "biu":
        x = x.to(np.int64)  # integers and bools accumulate in int64, as in PyTorch
    if x.ndim == 0:  # NumPy would flatten a 0-d array to 1-d; PyTorch keeps it 0-d
        _dim(dim, 1)
        return op.apply(x.reshape(1), dim=0).reshape(())
    return op.apply(x, dim=_dim(dim, x.ndim))


def cumsum(x, dim, *, dtype=None):
    """out_i = x_0 + ... + x_i along ``dim``."""
    return _cumulative(ops.CumSum, x, dim, dtype)


def cumprod(x, dim, *, dtype=None):
    """out_i = x_0 * ... * x_i along ``dim`` (its gradient is right with zeros in x)."""
    return _cumulative(ops.CumProd, x, dim, dtype)


def _scatter_args(x, dim, index, src, name):
    index = index if isinstance(index, Tensor) else Tensor(np.asarray(index))
    if index.dtype != np.int64:
        raise RuntimeError(f"{name}(): Expected dtype int64 for index; got {index.dtype}")
    d = _dim(dim, max(x.ndim, 1))
    if not isinstance(src, Tensor):
        src = constant(np.full(index.shape, src, dtype=x.dtype))
    if index.ndim != x.ndim or src.ndim != x.ndim:
        raise RuntimeError(f"{name}(): Index tensor must have the same number of dimensions as "
                           f"self and src tensors; shapes: self {x.shape}, index {index.shape}, "
                           f"src {src.shape}")
    for i, n in enumerate(index.shape):
        if n > src.shape[i] or (i != d and n > x.shape[i]):
            raise RuntimeError(f"{name}(): index of shape {index.shape} is larger than src "
                               f"{src.shape} or self {x.shape} apart from dimension {d}")
    if index.numel() and (index.array.min() < 0 or index.array.max() >= x.shape[d]):
        raise RuntimeError(f"{name}(): index {int(index.array.max())} or {int(index.array.min())}"
                           f" is out of bounds for dimension {d} with size {x.shape[d]}")
    if src.dtype != x.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype; got "
                           f"{x.dtype} and {src.dtype}")
    return d, index, src


def scatter_add(x, dim, index, src):
    """x with src[p] added at x[positions(index)[p]] (for dim=0, a 2-d index:
    out[index[i][j]][j] += src[i][j]); repeated indices accumulate."""
    d, index, src = _scatter_args(x, dim, index, src, "scatter_add")
    return ops.ScatterAdd.apply(x, src, index, dim=d)


def scatter(x, dim, index, src=None, *, value=None):
    """x with out[positions(index)[p]] = src[p] (or the number ``value`` /``src``)."""
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter() needs src or value")
    d, index, src = _scatter_args(x, dim, index, src, "scatter")
    return ops.Scatter.apply(x, src, index, dim=d)
