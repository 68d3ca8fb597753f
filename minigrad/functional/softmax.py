"""The softmax family: logsumexp, log_softmax and softmax, all shifted by the maximum so
that exp never overflows."""
from __future__ import annotations

import numpy as np

from ..ops._common import constant, normalize_dims
from ..static.hooks import kernel


def _shifted_and_log_total(x, dim):
    """(x - m, log(sum(exp(x - m)))) along ``dim``, m the maximum, kept as separate terms.

    m is a constant (its gradient would cancel) and exp(x - m) <= 1 never overflows; an
    infinite m is replaced by 0 so inf - inf never occurs. Callers must not add m back to the
    small log term before subtracting it from x: for float32 logits near 1e8 the spacing
    between representable numbers is 8, so m + log(k) rounds back to m, and
    x - (m + log(k)) would lose the whole log term."""
    shift = constant(kernel(_finite_max, x.array, dim))  # a kernel: replayed when compiled
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
    shifted = x - constant(kernel(np.max, x.array, dim, keepdims=True))
    e = shifted.exp()
    return e / e.sum(dim, keepdim=True)
