"""Shape composites: transpose, squeeze/unsqueeze, flatten, broadcasting, gather, cat/stack,
pad, and the vector norm."""
from __future__ import annotations

import builtins

import numpy as np

from .. import ops
from ..tensor import Tensor
from .pointwise import _tensor


def _dim(dim, ndim):
    if not -ndim <= dim < ndim:
        raise IndexError(f"dimension {dim} is out of range for a tensor with {ndim} dimensions")
    return dim % ndim


def transpose(x, dim0, dim1):
    dims = list(range(x.ndim))
    d0, d1 = _dim(dim0, x.ndim), _dim(dim1, x.ndim)
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return ops.Permute.apply(x, dims=tuple(dims))


def squeeze(x, dim=None):
    """Drop size-1 dimensions (all, or only ``dim`` if it has size 1, as PyTorch)."""
    if dim is None:
        shape = tuple(n for n in x.shape if n != 1)
    else:
        d = _dim(dim, builtins.max(x.ndim, 1)) if x.ndim else 0
        shape = x.shape if x.ndim == 0 or x.shape[d] != 1 else x.shape[:d] + x.shape[d + 1:]
    return x if shape == x.shape else x.reshape(shape)


def unsqueeze(x, dim):
    d = _dim(dim, x.ndim + 1)
    return x.reshape(x.shape[:d] + (1,) + x.shape[d:])


def flatten(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return x.reshape(1)
    start, end = _dim(start_dim, x.ndim), _dim(end_dim, x.ndim)
    return x.reshape(x.shape[:start] + (-1,) + x.shape[end + 1:])


def broadcast_to(x, shape):
    shape = tuple(shape)
    if x.shape == shape:
        return x
    try:
        np.broadcast_shapes(x.shape, shape)
        if len(shape) < x.ndim or np.broadcast_shapes(x.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(f"cannot broadcast a tensor of shape {x.shape} to shape {shape}") from None
    return ops.BroadcastTo.apply(x, shape=shape)


def expand(x, shape):
    """PyTorch's ``expand``: like broadcast_to, with -1 meaning "keep this size"."""
    offset = len(shape) - x.ndim
    resolved = tuple(x.shape[i - offset] if n == -1 and i >= offset else n
                     for i, n in enumerate(shape))
    return broadcast_to(x, resolved)


def gather(x, dim, index):
    """out[i][j] = x[i][index[i][j]] (for dim=1), PyTorch's ``gather``; gradients
    scatter-add back, so repeated indices accumulate."""
    index = index.array if isinstance(index, Tensor) else np.asarray(index)
    dim = _dim(dim, x.ndim)
    if index.ndim != x.ndim:
        raise ValueError(f"gather: index has {index.ndim} dimensions but the input has {x.ndim}")
    grid = list(np.ix_(*[np.arange(n) for n in index.shape]))
    grid[dim] = index
    return x[tuple(grid)]


def cat(tensors, dim=0):
    """Join tensors along an existing dimension."""
    tensors = [_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("cat needs at least one tensor")
    first = tensors[0].shape
    d = _dim(dim, len(first))
    for i, t in enumerate(tensors[1:], 1):
        if t.ndim != len(first) or t.shape[:d] + t.shape[d + 1:] != first[:d] + first[d + 1:]:
            raise ValueError(f"cat along dim {dim}: tensor {i} has shape {t.shape}, which does "
                             f"not match tensor 0's shape {first} outside that dimension")
    return ops.Cat.apply(*tensors, dim=d)


def stack(tensors, dim=0):
    """Join tensors of equal shape along a new dimension."""
    tensors = [_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack needs at least one tensor")
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != tensors[0].shape:
            raise ValueError(f"stack expects tensors of equal shape; tensor 0 has shape "
                             f"{tensors[0].shape} and tensor {i} has {t.shape}")
    return cat([t.unsqueeze(dim) for t in tensors], dim)


def pad(input, pad, mode="constant", value=None):
    """PyTorch's F.pad: ``pad`` lists (before, after) from the last dimension back. 'constant'
    fills with ``value`` (0 by default); 'reflect' mirrors without repeating the edge,
    'replicate' repeats the edge, 'circular' wraps around: those three gather the padded
    tensor by index, so the gradient of a repeated element is summed."""
    if mode == "constant":
        return ops.Pad.apply(input, pad=tuple(pad), value=0.0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise ValueError(f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular'; "
                         f"got {mode!r}")
    if value not in (None, 0, 0.0):
        raise ValueError(f"pad: value applies only to mode='constant'; got value={value} with "
                         f"mode={mode!r}")
    x = input
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(f"pad: {tuple(pad)} must hold (before, after) pairs for at most "
                         f"{x.ndim} dimensions")
    index = [slice(None)] * x.ndim
    for k in range(len(pad) // 2):
        dim = x.ndim - 1 - k
        before, after, size = pad[2 * k], pad[2 * k + 1], x.shape[dim]
        if mode == "reflect" and max(before, after) >= size:
            raise ValueError(f"pad: reflect padding ({before}, {after}) must be smaller than "
                             f"dimension {dim} of size {size}")
        positions = np.arange(-before, size + after)
        if mode == "replicate":
            positions = np.clip(positions, 0, size - 1)
        elif mode == "circular":
            positions = positions % size
        else:  # reflect: ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...
            period = 2 * (size - 1) if size > 1 else 1
            positions = np.abs(positions) % period
            positions = np.where(positions >= size, period - positions, positions)
        index[dim] = positions
    # One dimension at a time: each step is a differentiable integer-array gather.
    out = x
    for dim, positions in enumerate(index):
        if not isinstance(positions, slice):
            out = out[(slice(None),) * dim + (positions,)]
    return out


def norm(x, p="fro", dim=None, keepdim=False):
    """The vector p-norm (sum |x|^p)^(1/p) over ``dim`` (all elements by default); p = 2 and
    "fro" give sqrt(sum x^2), p = inf the largest |x|, as PyTorch's ``Tensor.norm``."""
    if p in ("fro", 2, 2.0):
        return (x * x).sum(dim, keepdim).sqrt()
    if p == float("inf"):
        return x.abs().amax(dim, keepdim)
    if p == 1:
        return x.abs().sum(dim, keepdim)
    return (x.abs() ** p).sum(dim, keepdim) ** (1.0 / p)
