"""Ordering: ``sort``, ``argsort`` and ``topk``. The order is found in NumPy (an integer
result, no gradient) and the values are ``gather``ed with it, so the gradient of the values
flows back to the positions they came from without a backward of their own."""
from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..static.hooks import kernel
from ..tensor import Tensor
from .shape import _dim, gather

# PyTorch's torch.return_types.sort / topk: tuples with .values and .indices
sort_result = namedtuple("sort", ["values", "indices"])
topk_result = namedtuple("topk", ["values", "indices"])


def _order(data, dim, descending, stable):
    """The int64 indices that sort ``data`` along ``dim``. NaN counts as the largest value,
    as in PyTorch. Descending order sorts the negated keys, so a stable sort keeps equal
    elements in their original order both ways."""
    if data.ndim == 0:
        return np.zeros((), dtype=np.int64)
    if descending:
        keys = data.astype(np.int64) if data.dtype.kind in "bu" else data
        keys = np.where(np.isnan(keys), -np.inf, -keys) if keys.dtype.kind == "f" else -keys
    else:
        keys = data
    kind = "stable" if stable else "quicksort"
    return np.argsort(keys, axis=dim, kind=kind).astype(np.int64, copy=False)


def argsort(x, dim=-1, descending=False, stable=False) -> Tensor:
    """The indices that sort ``x`` along ``dim`` (ascending unless ``descending``)."""
    d = _dim(dim, max(x.ndim, 1))
    return Tensor._make(kernel(_order, x.array, d, descending, stable), False, None)


def sort(x, dim=-1, descending=False, stable=False):
    """(values, indices): ``x`` sorted along ``dim``, and where each value came from."""
    indices = argsort(x, dim, descending, stable)
    if x.ndim == 0:
        return sort_result(x, indices)
    return sort_result(gather(x, dim, indices), indices)


def topk(x, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the ``k`` largest (or smallest) entries along ``dim``, in order
    (always sorted, which ``sorted=False`` allows too). Ties keep the lower index first."""
    d = _dim(dim, max(x.ndim, 1))
    size = x.shape[d] if x.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"topk: selected index k={k} out of range for dimension {d} of "
                           f"size {size} (shape {x.shape})")
    indices = kernel(_top, x.array, d, k, largest)
    if x.ndim == 0:
        return topk_result(x, Tensor._make(indices, False, None))
    indices = Tensor._make(indices, False, None)
    return topk_result(gather(x, d, indices), indices)


def _top(data, dim, k, largest):
    order = _order(data, dim, largest, True)
    return order if data.ndim == 0 else np.take(order, np.arange(k), axis=dim)
