"""``minigrad.linalg``: PyTorch's ``torch.linalg`` for what a learner reaches for: vector and
matrix norms, the inverse, linear solves and the determinant, all differentiable.

The norms are compositions of primitives; ``inv``, ``solve`` and ``det`` are primitives
(``ops/solve.py``) with the textbook derivatives.
"""
from __future__ import annotations

import math

import numpy as np

from .functional import where
from .ops.solve import Det, Inverse, LinAlgError, Solve
from .tensor import Tensor

__all__ = ["LinAlgError", "det", "inv", "matrix_norm", "norm", "solve", "vector_norm"]


def vector_norm(x: Tensor, ord: float = 2, dim=None, keepdim: bool = False, *,
                dtype=None) -> Tensor:
    """||x||_ord over ``dim`` (every element by default): (sum |x|^ord)^(1/ord); ord = inf is
    max |x|, -inf min |x|, 0 the number of non-zeros. The gradient at x = 0 is 0, PyTorch's
    subgradient, where the chain rule through the root would give 0 * inf = nan."""
    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind != "f":
        raise TypeError(f"linalg.vector_norm: expected a floating point input; got {x.dtype}")
    if ord == math.inf:
        return x.abs().amax(dim, keepdim)
    if ord == -math.inf:
        return x.abs().amin(dim, keepdim)
    if ord == 0:  # a count: no gradient, as in PyTorch
        return (x != 0).to(x.dtype).sum(dim, keepdim).detach()
    if ord == 1:
        return x.abs().sum(dim, keepdim)
    total = (x * x).sum(dim, keepdim) if ord == 2 else (x.abs() ** ord).sum(dim, keepdim)
    # Take the root only of positive totals: where() then sends a zero gradient to the rest.
    positive = total.array > 0
    safe = where(positive, total, 1.0)
    root = safe.sqrt() if ord == 2 else safe ** (1.0 / ord)
    return where(positive, root, 0.0)


def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *,
                dtype=None) -> Tensor:
    """A matrix norm over the two dimensions ``dim``: 'fro' sqrt(sum a_ij^2), 1 / -1 the
    largest / smallest column sum of |a_ij|, inf / -inf the largest / smallest row sum.
    (The spectral norms 2, -2 and 'nuc' need an SVD and are not provided.)"""
    if dtype is not None:
        A = A.to(dtype)
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise ValueError(f"linalg.matrix_norm: dim must be a 2-tuple; got {dim!r}")
    rows, columns = (d % A.ndim for d in dim)
    if rows == columns:
        raise ValueError(f"linalg.matrix_norm: dims must be different; got {tuple(dim)}")
    if ord == "fro":
        return vector_norm(A, 2, (rows, columns), keepdim)
    sums_over, extreme_over = {1: (rows, columns), -1: (rows, columns),
                               math.inf: (columns, rows), -math.inf: (columns, rows)}.get(
        ord, (None, None))
    if sums_over is None:
        raise ValueError(f"linalg.matrix_norm: ord must be 'fro', 1, -1, inf or -inf; got "
                         f"{ord!r} (2, -2 and 'nuc' need an SVD, which minigrad lacks)")
    sums = A.abs().sum(sums_over, keepdim=True)
    out = sums.amax(extreme_over, True) if ord > 0 else sums.amin(extreme_over, True)
    if keepdim:
        return out
    return out.reshape(tuple(n for i, n in enumerate(A.shape) if i not in (rows, columns)))


def norm(input: Tensor, ord=None, dim=None, keepdim: bool = False, *, out=None,
         dtype=None) -> Tensor:
    """PyTorch's ``linalg.norm``: a vector norm when ``dim`` is an int (or when ``dim`` is None
    and A is 1-D, or ord is None: then the 2-norm of all elements), a matrix norm when ``dim``
    is a 2-tuple (or A is 2-D and ord is given)."""
    _no_out("norm", out)
    A = input  # PyTorch documents it as A and names the argument input
    if isinstance(dim, int) or (isinstance(dim, (tuple, list)) and len(dim) == 1):
        return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    if dim is None:
        if ord is None:
            return vector_norm(A, 2, None, keepdim, dtype=dtype)
        if A.ndim == 1:
            return vector_norm(A, ord, None, keepdim, dtype=dtype)
        if A.ndim != 2:
            raise ValueError(f"linalg.norm: with ord={ord!r} and dim=None, A must be 1-D or "
                             f"2-D; got shape {A.shape}")
        dim = (-2, -1)
    return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)


def inv(A: Tensor, *, out=None) -> Tensor:
    """A^-1 of a square matrix (or a batch); raises LinAlgError if A is singular."""
    _no_out("inv", out)
    return Inverse.apply(A)


def solve(A: Tensor, B: Tensor, *, left: bool = True, out=None) -> Tensor:
    """X with A X = B (``left=False``: X A = B). B may be a matrix (..., n, k) or a vector:
    (n,), or (..., n) matching A's batch, as in PyTorch."""
    _no_out("solve", out)
    if not left:  # X A = B  <=>  A^T X^T = B^T
        return solve(A.mT, B.mT).mT
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if vector:
        return Solve.apply(A, B.unsqueeze(-1)).squeeze(-1)
    return Solve.apply(A, B)


def det(A: Tensor, *, out=None) -> Tensor:
    """det(A) of a square matrix (or a batch), differentiable by Jacobi's formula."""
    _no_out("det", out)
    return Det.apply(A)


def _no_out(name, out):
    if out is not None:
        raise ValueError(f"linalg.{name}: out= is not supported by minigrad (use the return "
                         "value)")

