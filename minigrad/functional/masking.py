"""Masks: the triangles ``tril``/``triu`` and ``masked_fill``. Each is a ``where`` with a
constant condition, so the gradient passes where the input is kept and is 0 elsewhere."""
from __future__ import annotations

import numpy as np

from ..ops._common import constant
from ..tensor import Tensor
from .pointwise import where


def _triangle(x, diagonal, lower, name):
    if x.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions; got shape "
                           f"{x.shape}")
    rows, cols = x.shape[-2:]
    # np.tri: True on and below the diagonal'th diagonal; triu keeps the complement of the
    # triangle strictly below its diagonal.
    keep = np.tri(rows, cols, k=diagonal, dtype=bool) if lower else \
        ~np.tri(rows, cols, k=diagonal - 1, dtype=bool)
    return where(constant(keep), x, constant(np.zeros((), dtype=x.dtype)))


def tril(x, diagonal=0):
    """The lower triangle of the last two dimensions: x[..., i, j] where j - i <= diagonal,
    else 0 (PyTorch's ``tril``; ``diagonal`` > 0 keeps diagonals above the main one)."""
    return _triangle(x, diagonal, True, "tril")


def triu(x, diagonal=0):
    """The upper triangle: x[..., i, j] where j - i >= diagonal, else 0."""
    return _triangle(x, diagonal, False, "triu")


def _mask_and_value(x, mask, value, name):
    mask = mask.array if isinstance(mask, Tensor) else np.asarray(mask)
    if mask.dtype != bool:
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype "
                           f"{mask.dtype}")
    try:
        np.broadcast_shapes(mask.shape, x.shape)
    except ValueError:
        raise RuntimeError(f"{name}: the mask of shape {mask.shape} does not broadcast with "
                           f"the tensor of shape {x.shape}") from None
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"{name} only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.ndim} dimension(s)")
        return mask, value if value.dtype == x.dtype else value.to(x.dtype)
    return mask, constant(np.asarray(value).astype(x.dtype))


def masked_fill(x, mask, value):
    """``value`` where ``mask`` (a bool tensor broadcastable to x) is True, else x:
    e.g. ``scores.masked_fill(causal == 0, float('-inf'))``. The gradient to x is 0 at the
    filled places; a 0-d tensor ``value`` receives the sum of the gradient there."""
    mask, value = _mask_and_value(x, mask, value, "masked_fill")
    return where(constant(mask), value, x)


def masked_fill_(x, mask, value):
    """In place: x[mask] = value (``mask`` must broadcast to x's shape); recorded in the graph
    as Tensor.masked_fill_."""
    return x.masked_fill_(mask, value)
