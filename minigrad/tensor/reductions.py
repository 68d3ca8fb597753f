"""Reductions and normalisations along dimensions: sum, mean, var, max, softmax, ...

Each reduction takes PyTorch's NumPy-style spellings too, as PyTorch does: ``axis=`` for
``dim=`` and ``keepdims=`` for ``keepdim=`` (``x.sum(axis=1, keepdims=True)``).
"""
from __future__ import annotations

import numpy as np

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


def _aliases(method: str, dim, keepdim, aliases: dict):
    """``dim`` and ``keepdim``, or their NumPy spellings ``axis`` and ``keepdims``."""
    if aliases:
        dim = aliases.pop("axis", dim)
        keepdim = aliases.pop("keepdims", keepdim)
        if aliases:
            raise TypeError(f"{method}() got an unexpected keyword argument "
                            f"{next(iter(aliases))!r}")
    return dim, keepdim


class ReductionMethods:
    __slots__ = ()

    def sum(self, dim=None, keepdim=False, *, dtype=None, **aliases):
        dim, keepdim = _aliases("sum", dim, keepdim, aliases)
        source = self if dtype is None else self.astype(dtype)
        return ops.Sum.apply(source, dim=dim, keepdim=keepdim)

    def mean(self, dim=None, keepdim=False, *, dtype=None, **aliases):
        dim, keepdim = _aliases("mean", dim, keepdim, aliases)
        return F.mean(self if dtype is None else self.astype(dtype), dim, keepdim)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, **aliases):
        dim, keepdim = _aliases("var", dim, keepdim, aliases)
        return F.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, **aliases):
        dim, keepdim = _aliases("std", dim, keepdim, aliases)
        return F.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = _aliases("max", dim, keepdim, aliases)
        return F.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = _aliases("min", dim, keepdim, aliases)
        return F.min(self, dim, keepdim)

    def amax(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = _aliases("amax", dim, keepdim, aliases)
        return ops.Amax.apply(self, dim=dim, keepdim=keepdim)

    def amin(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = _aliases("amin", dim, keepdim, aliases)
        return ops.Amin.apply(self, dim=dim, keepdim=keepdim)

    def argmax(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = _aliases("argmax", dim, keepdim, aliases)
        return F.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = _aliases("argmin", dim, keepdim, aliases)
        return F.argmin(self, dim, keepdim)

    def logsumexp(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = _aliases("logsumexp", dim, keepdim, aliases)
        return F.logsumexp(self, _required_dim("logsumexp", dim, None), keepdim)

    def softmax(self, dim=None, dtype=None, *, axis=None):
        dim = _required_dim("softmax", dim, axis)
        return F.softmax(self if dtype is None else self.astype(dtype), dim)

    def log_softmax(self, dim=None, dtype=None, *, axis=None):
        dim = _required_dim("log_softmax", dim, axis)
        return F.log_softmax(self if dtype is None else self.astype(dtype), dim)

    def sum_to_shape(self, shape):
        return self if self.shape == tuple(shape) else ops.SumTo.apply(self, shape=tuple(shape))

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return F.norm(self if dtype is None else self.astype(dtype), p, dim, keepdim)

    def all(self, dim=None, keepdim=False, **aliases):
        """True where every element (along ``dim``) is non-zero; a bool tensor, no gradient."""
        dim, keepdim = _aliases("all", dim, keepdim, aliases)
        return Tensor._make(np.asarray(np.all(self.array, axis=_axes(dim), keepdims=keepdim)),
                            False, None)

    def any(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = _aliases("any", dim, keepdim, aliases)
        return Tensor._make(np.asarray(np.any(self.array, axis=_axes(dim), keepdims=keepdim)),
                            False, None)


def _required_dim(method: str, dim, axis):
    dim = axis if dim is None else dim
    if dim is None:
        raise TypeError(f"{method}() missing the required argument 'dim'")
    return dim


def _axes(dim):
    return tuple(dim) if isinstance(dim, list) else dim
