"""Pieces of a tensor: ``split``/``chunk`` into slices, ``index_select`` of rows, and
``repeat`` (tiling). Slices and indexing are ``GetItem``; tiling is a reshape, a broadcast and
a reshape: no backward of their own."""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .shape import _dim


def split(x, split_size_or_sections, dim=0):
    """Slices of ``x`` along ``dim``: of ``split_size`` each (the last one smaller when the
    size does not divide), or of the listed sizes, which must add up to the dimension."""
    d = _dim(dim, x.ndim)
    total = x.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and total):
            raise RuntimeError(f"split expects split_size to be positive, got {size}")
        sizes = [size] * (total // size) + ([total % size] if total % size else []) \
            if size else [0]
    else:
        sizes = [int(n) for n in split_size_or_sections]
        if sum(sizes) != total or any(n < 0 for n in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {total} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
    pieces, start = [], 0
    for n in sizes:
        pieces.append(x[(slice(None),) * d + (slice(start, start + n),)])
        start += n
    return tuple(pieces)


def chunk(x, chunks, dim=0):
    """``chunks`` slices of (nearly) equal size along ``dim``: each of ceil(n / chunks), so
    there may be fewer than ``chunks`` of them, as in PyTorch."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    total = x.shape[_dim(dim, x.ndim)]
    return split(x, max(-(-total // chunks), 1), dim)


def index_select(x, dim, index):
    """The entries of ``x`` at positions ``index`` (a 1-d integer tensor) along ``dim``."""
    index = index.array if isinstance(index, Tensor) else np.asarray(index)
    if index.ndim > 1 or index.dtype.kind not in "iu":
        raise RuntimeError(f"index_select expects a 1-d integer index; got shape {index.shape} "
                           f"and dtype {index.dtype}")
    d = _dim(dim, max(x.ndim, 1))
    if x.ndim == 0:
        return x.reshape(1)[index.reshape(-1)].reshape(())
    return x[(slice(None),) * d + (index.reshape(-1),)]


def repeat(x, sizes):
    """``x`` tiled ``sizes[i]`` times along dimension i (leading new dimensions when there
    are more sizes than dimensions): shape (s_0 * r_0, s_1 * r_1, ...)."""
    sizes = tuple(int(n) for n in sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(f"Number of dimensions of repeat dims can not be smaller than number "
                           f"of dimensions of tensor: {len(sizes)} < {x.ndim} (shape {x.shape})")
    if any(n < 0 for n in sizes):
        raise RuntimeError(f"repeat sizes must be non-negative; got {sizes}")
    shape = (1,) * (len(sizes) - x.ndim) + x.shape
    # Interleave a new axis of size r before each axis: (r0, s0, r1, s1, ...) -> (r0 s0, ...)
    spread = x.reshape(tuple(n for s in shape for n in (1, s)))
    tiled = spread.expand(*[n for r, s in zip(sizes, shape) for n in (r, s)])
    return tiled.reshape(tuple(r * s for r, s in zip(sizes, shape)))
