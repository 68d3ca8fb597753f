"""Reductions and normalisations along dimensions: sum, mean, var, max, softmax, ..."""
from __future__ import annotations

import functools

import numpy as np

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


def numpy_keywords(method):
    """Accept NumPy's keyword names as PyTorch does: ``axis`` for ``dim`` and ``keepdims``
    for ``keepdim`` (``counts.sum(1, keepdims=True)`` runs under PyTorch)."""
    @functools.wraps(method)
    def with_aliases(*args, **kwargs):  # a method or a module-level function (input=)
        if kwargs:
            if "axis" in kwargs:
                kwargs["dim"] = kwargs.pop("axis")
            if "keepdims" in kwargs:
                kwargs["keepdim"] = kwargs.pop("keepdims")
        return method(*args, **kwargs)
    return with_aliases


class ReductionMethods:
    __slots__ = ()

    @numpy_keywords
    def sum(self, dim=None, keepdim=False, *, dtype=None):
        source = self if dtype is None else self.to(dtype)  # dtype: accumulate in that type
        return ops.Sum.apply(source, dim=dim, keepdim=keepdim)

    @numpy_keywords
    def mean(self, dim=None, keepdim=False, *, dtype=None):
        return F.mean(self if dtype is None else self.to(dtype), dim, keepdim)

    @numpy_keywords
    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return F.var(self, dim, unbiased, keepdim, correction=correction)

    @numpy_keywords
    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return F.std(self, dim, unbiased, keepdim, correction=correction)

    @numpy_keywords
    def max(self, dim=None, keepdim=False):
        return F.max(self, dim, keepdim)

    @numpy_keywords
    def min(self, dim=None, keepdim=False):
        return F.min(self, dim, keepdim)

    @numpy_keywords
    def prod(self, dim=None, keepdim=False, *, dtype=None):
        """The product along ``dim`` (of all elements by default): the last element of the
        cumulative product, whose gradient is right when the input holds zeros."""
        x = self if dtype is None else self.to(dtype)
        if dim is None:
            return x.reshape(-1).cumprod(0)[-1] if x.numel() else x.sum() + 1
        out = x.cumprod(dim).narrow(dim, x.shape[dim] - 1, 1)
        return out if keepdim else out.squeeze(dim)

    def median(self, dim=None, keepdim=False):
        """The lower median (PyTorch's: element (n - 1) // 2 of the sorted values); with
        ``dim``, (values, indices)."""
        if dim is None:
            return self.reshape(-1).sort()[0][(self.numel() - 1) // 2]
        values, indices = self.sort(dim)
        middle = (self.shape[dim] - 1) // 2
        values, indices = values.narrow(dim, middle, 1), indices.narrow(dim, middle, 1)
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        return F.values_indices(values, indices)

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        return F.unique(self, sorted, return_inverse, return_counts, dim)

    @numpy_keywords
    def amax(self, dim=None, keepdim=False):
        return ops.Amax.apply(self, dim=dim, keepdim=keepdim)

    @numpy_keywords
    def amin(self, dim=None, keepdim=False):
        return ops.Amin.apply(self, dim=dim, keepdim=keepdim)

    @numpy_keywords
    def argmax(self, dim=None, keepdim=False):
        return F.argmax(self, dim, keepdim)

    @numpy_keywords
    def argmin(self, dim=None, keepdim=False):
        return F.argmin(self, dim, keepdim)

    @numpy_keywords
    def logsumexp(self, dim, keepdim=False):
        return F.logsumexp(self, dim, keepdim)

    @numpy_keywords
    def softmax(self, dim):
        return F.softmax(self, dim)

    @numpy_keywords
    def log_softmax(self, dim):
        return F.log_softmax(self, dim)

    def sum_to_shape(self, shape):
        return self if self.shape == tuple(shape) else ops.SumTo.apply(self, shape=tuple(shape))

    def norm(self, p="fro", dim=None, keepdim=False):
        return F.norm(self, p, dim, keepdim)

    @numpy_keywords
    def all(self, dim=None, keepdim=False):
        """True where every element (along ``dim``) is non-zero; a bool tensor, no gradient."""
        return Tensor._make(np.asarray(np.all(self.array, axis=dim, keepdims=keepdim)), False, None)

    @numpy_keywords
    def any(self, dim=None, keepdim=False):
        return Tensor._make(np.asarray(np.any(self.array, axis=dim, keepdims=keepdim)), False, None)

    @numpy_keywords
    def cumsum(self, dim, *, dtype=None):
        return F.cumsum(self, dim, dtype=dtype)

    @numpy_keywords
    def cumprod(self, dim, *, dtype=None):
        return F.cumprod(self, dim, dtype=dtype)

    @numpy_keywords
    def sort(self, dim=-1, descending=False, stable=False):
        return F.sort(self, dim, descending, stable)

    @numpy_keywords
    def argsort(self, dim=-1, descending=False, stable=False):
        return F.argsort(self, dim, descending, stable)

    @numpy_keywords
    def topk(self, k, dim=-1, largest=True, sorted=True):
        return F.topk(self, k, dim, largest, sorted)
