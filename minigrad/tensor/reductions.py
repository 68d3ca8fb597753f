"""Reductions and normalisations along dimensions: sum, mean, var, max, softmax, ..."""
from __future__ import annotations

import numpy as np

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


def spelled(dim, keepdim, axis=None, keepdims=None):
    """(dim, keepdim) from PyTorch's NumPy-style aliases too: PyTorch accepts ``axis=`` for
    ``dim=`` and ``keepdims=`` for ``keepdim=`` on its reductions, and programs use them."""
    return (dim if axis is None else axis), (keepdim if keepdims is None else keepdims)


class ReductionMethods:
    __slots__ = ()

    def sum(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        dim, keepdim = spelled(dim, keepdim, axis, keepdims)
        return ops.Sum.apply(self, dim=dim, keepdim=keepdim)

    def mean(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return F.mean(self, *spelled(dim, keepdim, axis, keepdims))

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
            keepdims=None):
        dim, keepdim = spelled(dim, keepdim, axis, keepdims)
        return F.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
            keepdims=None):
        dim, keepdim = spelled(dim, keepdim, axis, keepdims)
        return F.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return F.max(self, *spelled(dim, keepdim, axis, keepdims))

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return F.min(self, *spelled(dim, keepdim, axis, keepdims))

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        return F.unique(self, sorted, return_inverse, return_counts, dim)

    def amax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        dim, keepdim = spelled(dim, keepdim, axis, keepdims)
        return ops.Amax.apply(self, dim=dim, keepdim=keepdim)

    def amin(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        dim, keepdim = spelled(dim, keepdim, axis, keepdims)
        return ops.Amin.apply(self, dim=dim, keepdim=keepdim)

    def argmax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return F.argmax(self, *spelled(dim, keepdim, axis, keepdims))

    def argmin(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return F.argmin(self, *spelled(dim, keepdim, axis, keepdims))

    def logsumexp(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        dim, keepdim = spelled(dim, keepdim, axis, keepdims)
        if dim is None:  # required, as in PyTorch (it has a default only to allow axis=)
            raise TypeError("logsumexp() missing required argument 'dim'")
        return F.logsumexp(self, dim, keepdim)

    def softmax(self, dim):
        return F.softmax(self, dim)

    def log_softmax(self, dim):
        return F.log_softmax(self, dim)

    def sum_to_shape(self, shape):
        return self if self.shape == tuple(shape) else ops.SumTo.apply(self, shape=tuple(shape))

    def norm(self, p="fro", dim=None, keepdim=False):
        return F.norm(self, p, dim, keepdim)

    def all(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """True where every element (along ``dim``) is non-zero; a bool tensor, no gradient."""
        dim, keepdim = spelled(dim, keepdim, axis, keepdims)
        return Tensor._make(np.asarray(np.all(self.array, axis=dim, keepdims=keepdim)), False, None)

    def any(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        dim, keepdim = spelled(dim, keepdim, axis, keepdims)
        return Tensor._make(np.asarray(np.any(self.array, axis=dim, keepdims=keepdim)), False, None)
