"""Reductions: mean, var, std, and max/min with or without their indices."""
from __future__ import annotations

from collections import namedtuple

import numpy as np

from .. import ops
from ..ops._common import normalize_dims
from ..static.hooks import kernel
from ..tensor import Tensor
from .pointwise import _tensor
from .shape import gather

values_indices = namedtuple("values_indices", ["values", "indices"])


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
    return Tensor._make(kernel(_arg, np.argmax, x.array, dim, keepdim), False, None)


def argmin(x, dim=None, keepdim=False) -> Tensor:
    return Tensor._make(kernel(_arg, np.argmin, x.array, dim, keepdim), False, None)


def _arg(find, data, dim, keepdim):
    """The int64 index of the extreme ``find`` picks: over all elements, or along ``dim``."""
    if dim is None:
        return np.asarray(find(data), dtype=np.int64)
    return np.asarray(find(data, axis=dim, keepdims=keepdim), dtype=np.int64)
