"""Reductions and normalisations along dimensions: sum, mean, var, max, softmax, ..."""
from __future__ import annotations

import numpy as np

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


class ReductionMethods:
    __slots__ = ()

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

    def norm(self, p="fro", dim=None, keepdim=False):
        return F.norm(self, p, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        """True where every element (along ``dim``) is non-zero; a bool tensor, no gradient."""
        return Tensor._make(np.asarray(np.all(self.array, axis=dim, keepdims=keepdim)), False, None)

    def any(self, dim=None, keepdim=False):
        return Tensor._make(np.asarray(np.any(self.array, axis=dim, keepdims=keepdim)), False, None)

    def cumsum(self, dim, *, dtype=None):
        return F.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim, *, dtype=None):
        return F.cumprod(self, dim, dtype=dtype)

    def sort(self, dim=-1, descending=False, stable=False):
        return F.sort(self, dim, descending, stable)

    def argsort(self, dim=-1, descending=False, stable=False):
        return F.argsort(self, dim, descending, stable)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        return F.topk(self, k, dim, largest, sorted)
