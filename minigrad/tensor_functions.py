"""PyTorch's module-level tensor functions: ``minigrad.sin(x)`` is ``x.sin()``.

Each is an explicit one-line wrapper around the Tensor method (or a composite in
``minigrad.functional``), so the math lives in exactly one place. Numbers and arrays are
accepted wherever a tensor is, as in PyTorch.
"""
from __future__ import annotations

from . import functional as F
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
def sum(input, dim=None, keepdim=False):
    return _t(input).sum(dim, keepdim)


@numpy_keywords
def mean(input, dim=None, keepdim=False):
    return _t(input).mean(dim, keepdim)


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
