"""PyTorch's module-level tensor functions: ``minigrad.sin(x)`` is ``x.sin()``.

Each is an explicit one-line wrapper around the Tensor method (or a composite in
``minigrad.functional``), so the math lives in exactly one place. Numbers and arrays are
accepted wherever a tensor is, as in PyTorch.
"""
from __future__ import annotations

import numpy as np

from . import functional as F
from . import linalg
from .dtypes import get_default_dtype
from .tensor import Tensor
from .tensor.reductions import numpy_keywords


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


# ------------------------------------------------------------------ elementwise
def sin(input): return _t(input).sin()  # noqa: E704
def cos(input): return _t(input).cos()  # noqa: E704
def exp(input): return _t(input).exp()  # noqa: E704
def log(input): return _t(input).log()  # noqa: E704
def log1p(input): return _t(input).log1p()  # noqa: E704
def sqrt(input): return _t(input).sqrt()  # noqa: E704
def square(input): return _t(input).square()  # noqa: E704
def tanh(input): return _t(input).tanh()  # noqa: E704
def sigmoid(input): return _t(input).sigmoid()  # noqa: E704
def relu(input): return _t(input).relu()  # noqa: E704
def abs(input): return _t(input).abs()  # noqa: E704
def neg(input): return _t(input).neg()  # noqa: E704
def clamp(input, min=None, max=None): return _t(input).clamp(min, max)  # noqa: E704
def pow(input, exponent): return _t(input).pow(exponent)  # noqa: E704
def add(input, other, *, alpha=1, out=None): return _out(_t(input).add(other, alpha=alpha), out)  # noqa: E704, E501
def sub(input, other, *, alpha=1, out=None): return _out(_t(input).sub(other, alpha=alpha), out)  # noqa: E704, E501
def mul(input, other, *, out=None): return _out(_t(input).mul(other), out)  # noqa: E704
def div(input, other, *, out=None): return _out(F.div(input, other), out)  # noqa: E704


def _out(result, out):
    """PyTorch's ``out=``: the result written into ``out`` (which must have its shape)."""
    if out is None:
        return result
    if out.shape != result.shape:
        raise RuntimeError(f"out= has shape {out.shape} but the result has shape {result.shape}")
    return out.copy_(result)


# ------------------------------------------------------------------ reductions
@numpy_keywords
def sum(input, dim=None, keepdim=False, *, dtype=None):
    return _t(input).sum(dim, keepdim, dtype=dtype)


@numpy_keywords
def mean(input, dim=None, keepdim=False, *, dtype=None):
    return _t(input).mean(dim, keepdim, dtype=dtype)


@numpy_keywords
def argmax(input, dim=None, keepdim=False):
    return _t(input).argmax(dim, keepdim)


@numpy_keywords
def argmin(input, dim=None, keepdim=False):
    return _t(input).argmin(dim, keepdim)


def numel(input): return _t(input).numel()  # noqa: E704


def norm(input, p="fro", dim=None, keepdim=False):
    return _t(input).norm(p, dim, keepdim)


@numpy_keywords
def max(input, dim=None, keepdim=False):
    """``max(x)``, ``max(x, dim)`` -> (values, indices), or ``max(x, other)`` elementwise."""
    if isinstance(dim, Tensor):
        return F.maximum(input, dim)
    return _t(input).max(dim, keepdim)


@numpy_keywords
def min(input, dim=None, keepdim=False):
    if isinstance(dim, Tensor):
        return F.minimum(input, dim)
    return _t(input).min(dim, keepdim)


@numpy_keywords
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _t(input).std(dim, unbiased, keepdim, correction=correction)


@numpy_keywords
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _t(input).var(dim, unbiased, keepdim, correction=correction)


# ------------------------------------------------------------------ shape
def flatten(input, start_dim=0, end_dim=-1): return input.flatten(start_dim, end_dim)  # noqa: E704
def reshape(input, shape): return input.reshape(shape)  # noqa: E704
def squeeze(input, dim=None): return input.squeeze(dim)  # noqa: E704
def unsqueeze(input, dim): return input.unsqueeze(dim)  # noqa: E704
def transpose(input, dim0, dim1): return input.transpose(dim0, dim1)  # noqa: E704
def permute(input, dims): return input.permute(dims)  # noqa: E704
def t(input): return input.t()  # noqa: E704


# ------------------------------------------------------------------ products
def matmul(input, other, *, out=None): return _out(F.matmul(input, other), out)  # noqa: E704
def mm(input, mat2): return _matrices("mm", input, mat2, 2) @ mat2  # noqa: E704
def bmm(input, mat2): return _matrices("bmm", input, mat2, 3) @ mat2  # noqa: E704


def dot(input, other):
    """The inner product of two 1-d tensors of equal length."""
    if input.ndim != 1 or other.ndim != 1 or input.shape != other.shape:
        raise RuntimeError(f"dot expects two 1-d tensors of equal length; got shapes "
                           f"{input.shape} and {other.shape}")
    return (input * other).sum()


def _matrices(name, a, b, ndim):
    # mm and bmm do not broadcast, unlike matmul: check the shapes PyTorch requires.
    if (a.ndim != ndim or b.ndim != ndim or a.shape[-1] != b.shape[-2]
            or a.shape[:-2] != b.shape[:-2]):
        raise RuntimeError(f"{name} expects two {ndim}-d tensors with matching inner sizes; got "
                           f"shapes {a.shape} and {b.shape}")
    return a


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    return _t(input).unique(sorted, return_inverse, return_counts, dim)


# ------------------------------------------------------------------ comparisons
def eq(input, other): return _t(input).eq(other)  # noqa: E704
def ne(input, other): return _t(input).ne(other)  # noqa: E704
def gt(input, other): return _t(input).gt(other)  # noqa: E704
def lt(input, other): return _t(input).lt(other)  # noqa: E704
def ge(input, other): return _t(input).ge(other)  # noqa: E704
def le(input, other): return _t(input).le(other)  # noqa: E704
def equal(input, other): return _t(input).equal(_t(other))  # noqa: E704
def is_tensor(obj): return isinstance(obj, Tensor)  # noqa: E704


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return _t(input).isclose(other, rtol, atol, equal_nan)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return _t(input).allclose(other, rtol, atol, equal_nan)


# ------------------------------------------------------------------ sequences
def tril(input, diagonal=0): return F.tril(_t(input), diagonal)  # noqa: E704
def triu(input, diagonal=0): return F.triu(_t(input), diagonal)  # noqa: E704
def masked_fill(input, mask, value): return F.masked_fill(_t(input), mask, value)  # noqa: E704
def chunk(input, chunks, dim=0): return F.chunk(input, chunks, dim)  # noqa: E704
def gather(input, dim, index): return F.gather(input, dim, index)  # noqa: E704
def index_select(input, dim, index): return F.index_select(input, dim, index)  # noqa: E704
def scatter_add(input, dim, index, src): return F.scatter_add(input, dim, index, src)  # noqa: E704


def split(tensor, split_size_or_sections, dim=0):
    return F.split(tensor, split_size_or_sections, dim)


def scatter(input, dim, index, src=None, *, value=None):
    return F.scatter(input, dim, index, src, value=value)


@numpy_keywords
def cumsum(input, dim, *, dtype=None):
    return F.cumsum(_t(input), dim, dtype=dtype)


@numpy_keywords
def cumprod(input, dim, *, dtype=None):
    return F.cumprod(_t(input), dim, dtype=dtype)


@numpy_keywords
def sort(input, dim=-1, descending=False, stable=False):
    return F.sort(_t(input), dim, descending, stable)


@numpy_keywords
def argsort(input, dim=-1, descending=False, stable=False):
    return F.argsort(_t(input), dim, descending, stable)


@numpy_keywords
def topk(input, k, dim=-1, largest=True, sorted=True):
    return F.topk(_t(input), k, dim, largest, sorted)


# ------------------------------------------------------------------ more elementwise and shape
def reciprocal(input): return _t(input).reciprocal()  # noqa: E704
def rsqrt(input): return _t(input).rsqrt()  # noqa: E704
def log2(input): return _t(input).log2()  # noqa: E704
def log10(input): return _t(input).log10()  # noqa: E704
def expm1(input): return _t(input).expm1()  # noqa: E704
def sinh(input): return _t(input).sinh()  # noqa: E704
def cosh(input): return _t(input).cosh()  # noqa: E704
def erf(input): return _t(input).erf()  # noqa: E704
def sign(input): return _t(input).sign()  # noqa: E704
def floor(input): return _t(input).floor()  # noqa: E704
def ceil(input): return _t(input).ceil()  # noqa: E704
def trunc(input): return _t(input).trunc()  # noqa: E704
def round(input, *, decimals=0): return _t(input).round(decimals)  # noqa: E704, A001
def isnan(input): return _t(input).isnan()  # noqa: E704
def isinf(input): return _t(input).isinf()  # noqa: E704
def isfinite(input): return _t(input).isfinite()  # noqa: E704
def logical_not(input): return _t(input).logical_not()  # noqa: E704
def logical_and(input, other): return _t(input).logical_and(other)  # noqa: E704
def logical_or(input, other): return _t(input).logical_or(other)  # noqa: E704
def nan_to_num(input, nan=0.0, posinf=None, neginf=None): return _t(input).nan_to_num(nan, posinf, neginf)  # noqa: E704, E501
def lerp(input, end, weight): return _t(input).lerp(end, weight)  # noqa: E704
def remainder(input, other): return _t(input).remainder(other)  # noqa: E704
def fmod(input, other): return _t(input).fmod(other)  # noqa: E704
def clone(input): return _t(input).clone()  # noqa: E704
def detach(input): return _t(input).detach()  # noqa: E704
def broadcast_to(input, size): return _t(input).broadcast_to(size)  # noqa: E704
def flip(input, dims): return _t(input).flip(dims)  # noqa: E704
def unbind(input, dim=0): return _t(input).unbind(dim)  # noqa: E704
def diag(input, diagonal=0): return _t(input).diag(diagonal)  # noqa: E704
def outer(input, vec2): return _t(input).outer(vec2)  # noqa: E704
def masked_select(input, mask): return _t(input).masked_select(mask)  # noqa: E704
def nonzero(input, *, as_tuple=False): return _t(input).nonzero(as_tuple=as_tuple)  # noqa: E704
def argwhere(input): return _t(input).argwhere()  # noqa: E704
def is_floating_point(input): return _t(input).dtype.kind == "f"  # noqa: E704
@numpy_keywords  # noqa: E302
def amax(input, dim=(), keepdim=False): return _t(input).amax(dim if dim != () else None, keepdim)  # noqa: E704, E501
@numpy_keywords  # noqa: E302
def amin(input, dim=(), keepdim=False): return _t(input).amin(dim if dim != () else None, keepdim)  # noqa: E704, E501
@numpy_keywords  # noqa: E302
def all(input, dim=None, keepdim=False): return _t(input).all(dim, keepdim)  # noqa: E704, A001
@numpy_keywords  # noqa: E302
def any(input, dim=None, keepdim=False): return _t(input).any(dim, keepdim)  # noqa: E704, A001


def hstack(tensors):
    """Concatenated along dimension 1 (0 for 1-D tensors), as NumPy's hstack."""
    return F.cat(list(tensors), 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Stacked as rows: 1-D tensors become rows of a matrix, others concatenate on dim 0."""
    return F.cat([t.reshape(1, -1) if t.ndim == 1 else t for t in tensors], 0)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids of 1-D tensors; ``indexing='ij'`` (PyTorch's default) or 'xy'."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    indexing = "ij" if indexing is None else indexing
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy'; got {indexing!r}")
    shape = [t.shape[0] for t in tensors]
    if indexing == "xy" and len(shape) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, t in enumerate(tensors):
        axis = (1 - i if i < 2 else i) if indexing == "xy" and len(shape) >= 2 else i
        view = [1] * len(shape)
        view[axis] = -1
        grids.append(t.reshape(view).broadcast_to(tuple(shape)))
    return tuple(grids)


def cdist(x1, x2, p=2.0, compute_mode=None):
    """The p-norm distance between each row of x1 (..., P, M) and each row of x2 (..., R, M):
    (..., P, R), by broadcasting the difference (minigrad has no matmul shortcut for p=2)."""
    return linalg.vector_norm(x1.unsqueeze(-2) - x2.unsqueeze(-3), p, -1)


# torch.inverse and torch.det: torch.linalg's, under their older names
def inverse(input): return linalg.inv(input)  # noqa: E704
def det(input): return linalg.det(input)  # noqa: E704


def finfo(type=None):
    """Machine limits of a floating dtype (eps, max, min, tiny), NumPy's ``finfo``."""
    return np.finfo(get_default_dtype() if type is None else type)


def iinfo(type):
    return np.iinfo(type)


@numpy_keywords
def prod(input, dim=None, keepdim=False, *, dtype=None):
    return _t(input).prod(dim, keepdim, dtype=dtype)


def median(input, dim=None, keepdim=False): return _t(input).median(dim, keepdim)  # noqa: E704
def roll(input, shifts, dims=None): return _t(input).roll(shifts, dims)  # noqa: E704
def tile(input, dims): return _t(input).tile(dims)  # noqa: E704
def narrow(input, dim, start, length): return _t(input).narrow(dim, start, length)  # noqa: E704
def clamp_min(input, min): return _t(input).clamp_min(min)  # noqa: E704
def clamp_max(input, max): return _t(input).clamp_max(max)  # noqa: E704


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    return _t(input).repeat_interleave(repeats, dim, output_size=output_size)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    return _t(input).diff(n, dim, prepend, append)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(std, mean) in one call, as PyTorch's."""
    x = _t(input)
    return (x.std(dim, unbiased, keepdim, correction=correction), x.mean(dim, keepdim))


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(var, mean) in one call, as PyTorch's."""
    x = _t(input)
    return (x.var(dim, unbiased, keepdim, correction=correction), x.mean(dim, keepdim))


# ------------------------------------------------------------------ products, counts, searches
def clip(input, min=None, max=None): return _t(input).clamp(min, max)  # noqa: E704
def movedim(input, source, destination): return _t(input).movedim(source, destination)  # noqa: E704, E501
def moveaxis(input, source, destination): return _t(input).movedim(source, destination)  # noqa: E704, E501
def swapaxes(input, axis0, axis1): return _t(input).transpose(axis0, axis1)  # noqa: E704
def swapdims(input, dim0, dim1): return _t(input).transpose(dim0, dim1)  # noqa: E704
def take_along_dim(input, indices, dim=None): return _t(input).take_along_dim(indices, dim)  # noqa: E704, E501
def mv(input, vec): return _t(input).mv(vec)  # noqa: E704
def inner(input, other): return _t(input).inner(other)  # noqa: E704
def addmm(input, mat1, mat2, *, beta=1, alpha=1): return _t(input).addmm(mat1, mat2, beta=beta, alpha=alpha)  # noqa: E704, E501
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1): return _t(input).baddbmm(batch1, batch2, beta=beta, alpha=alpha)  # noqa: E704, E501


def tensordot(a, b, dims=2):
    """Sum over the last ``dims`` dimensions of a and the first of b (or the listed pairs):
    a reshape to matrices and one matmul, so it is differentiable."""
    if isinstance(dims, int):
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    dims_a, dims_b = [d % a.ndim for d in dims_a], [d % b.ndim for d in dims_b]
    free_a = [d for d in range(a.ndim) if d not in dims_a]
    free_b = [d for d in range(b.ndim) if d not in dims_b]
    contracted = int(np.prod([a.shape[d] for d in dims_a]))
    left = a.permute(*(free_a + dims_a)).reshape(-1, contracted)
    right = b.permute(*(dims_b + free_b)).reshape(contracted, -1)
    return (left @ right).reshape(tuple(a.shape[d] for d in free_a)
                                  + tuple(b.shape[d] for d in free_b))


def logaddexp(input, other):
    """ln(e^a + e^b), as max(a, b) + ln(1 + e^-|a - b|) so it never overflows."""
    a, b = _t(input), _t(other)
    high = F.maximum(a, b)
    return high + (-(a - b).abs()).exp().log1p()


def nanmean(input, dim=None, keepdim=False):
    """The mean of the non-NaN elements (NaNs count as absent)."""
    x = _t(input)
    present = x.isnan().logical_not()
    total = F.where(present, x, 0.0).sum(dim, keepdim)
    return total / present.to(x.dtype).sum(dim, keepdim)


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The q-th quantiles (q in [0, 1], a number or a 1-D tensor) along ``dim`` (of all
    elements by default), linearly interpolated between order statistics as NumPy's
    default; differentiable through the sorted values. Several q: one row each, first."""
    if interpolation != "linear":
        raise ValueError(f"quantile: only interpolation='linear' is provided; got "
                         f"{interpolation!r}")
    x = _t(input)
    qs = np.atleast_1d(q.array if isinstance(q, Tensor) else np.asarray(q)).astype(np.float64)
    if ((qs < 0) | (qs > 1)).any():
        raise ValueError(f"quantile: q must be in [0, 1]; got {qs.tolist()}")
    source = x.reshape(-1) if dim is None else x
    axis = 0 if dim is None else dim % x.ndim
    ordered = source.sort(axis)[0].movedim(axis, 0)  # (n, the other dimensions)
    position = qs * (ordered.shape[0] - 1)
    low, high = np.floor(position).astype(np.int64), np.ceil(position).astype(np.int64)
    fraction = Tensor((position - low).astype(x.dtype)).reshape(
        (-1,) + (1,) * (ordered.ndim - 1))
    out = ordered[low] + (ordered[high] - ordered[low]) * fraction  # (len(q), others)
    if keepdim:
        out = (out.reshape((len(qs),) + (1,) * x.ndim) if dim is None
               else out.unsqueeze(axis + 1))
    return out[0] if np.ndim(q) == 0 else out


def bincount(input, weights=None, minlength=0):
    """How often each value 0, 1, 2, ... occurs (weighted sums with ``weights``); no
    gradient."""
    counts = np.bincount(_t(input).array, None if weights is None else _t(weights).array,
                         minlength)
    return Tensor(counts if weights is not None else counts.astype(np.int64))


def histc(input, bins=100, min=0, max=0):
    """Counts in ``bins`` equal bins over [min, max] (the data's range when both are 0);
    elements outside are ignored. No gradient."""
    x = _t(input).array
    low, high = (float(x.min()), float(x.max())) if min == max == 0 else (min, max)
    counts, _ = np.histogram(x[(x >= low) & (x <= high)], bins, (low, high))
    return Tensor(counts.astype(x.dtype))


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """Where each value would be inserted to keep ``sorted_sequence`` (its last dimension)
    sorted; no gradient."""
    side = side or ("right" if right else "left")
    sequence, values = _t(sorted_sequence).array, _t(input).array
    if sequence.ndim == 1:
        found = np.searchsorted(sequence, values, side)
    else:
        found = np.stack([np.searchsorted(s, v, side) for s, v in
                          zip(sequence.reshape(-1, sequence.shape[-1]),
                              values.reshape(-1, values.shape[-1]))]).reshape(values.shape)
    return Tensor(np.asarray(found).astype(np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The bucket of each value: the index i with boundaries[i-1] < x <= boundaries[i] (or
    <= x < with ``right``); no gradient."""
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)

