"""``interpolate``: resizing the spatial dimensions of (N, C, L) or (N, C, H, W) inputs, with
PyTorch's coordinate conventions.

Each output position d of a dimension resized from ``size_in`` to ``size_out`` reads the
input at a source coordinate s(d), with scale = size_in / size_out (or 1 / scale_factor
when one is given and not recomputed):
    'nearest'        s = floor(d * scale)                (PyTorch's legacy nearest)
    'nearest-exact'  s = floor((d + 0.5) * scale)
    'linear'/'bilinear', align_corners=False: s = (d + 0.5) * scale - 0.5, clamped at 0,
        the value linearly interpolated between floor(s) and floor(s) + 1;
    align_corners=True: s = d (size_in - 1) / (size_out - 1), corners map to corners.
Nearest modes gather by index; linear modes are separable, so each resized dimension is one
product with a (size_out x size_in) interpolation matrix.
"""
import math

import numpy as np

from ...tensor import Tensor

_LINEAR = {"linear": 1, "bilinear": 2}  # mode -> the number of spatial dimensions it resizes


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
                align_corners=None, recompute_scale_factor=None,
                antialias: bool = False) -> Tensor:
    """Resize the spatial dimensions (all dimensions after the first two) of ``input``."""
    spatial = input.ndim - 2
    if spatial not in (1, 2):
        raise ValueError(f"interpolate: expected a 3-D (N, C, L) or 4-D (N, C, H, W) input; got "
                         f"shape {input.shape}")
    if mode not in ("nearest", "nearest-exact", *_LINEAR):
        raise ValueError(f"interpolate: mode must be 'nearest', 'nearest-exact', 'linear' or "
                         f"'bilinear'; got {mode!r} ('bicubic', 'trilinear' and 'area' are not "
                         "provided)")
    if mode in _LINEAR and _LINEAR[mode] != spatial:
        raise ValueError(f"interpolate: mode {mode!r} needs a {_LINEAR[mode] + 2}-D input; got "
                         f"shape {input.shape}")
    if mode not in _LINEAR and align_corners is not None:
        raise ValueError("interpolate: align_corners can only be set with the linear modes")
    if antialias:
        raise ValueError("interpolate: antialias=True is not supported by minigrad")
    sizes_in = input.shape[2:]
    sizes_out, scales = _output_sizes(sizes_in, size, scale_factor, recompute_scale_factor)
    out = input
    for k, (size_in, size_out, scale) in enumerate(zip(sizes_in, sizes_out, scales)):
        dim = 2 + k
        if mode in _LINEAR:
            weights = Tensor(_linear_weights(size_in, size_out, scale, bool(align_corners),
                                             input.dtype))
            # (..., size_in, rest) -> (..., size_out, rest): the matrix acts on dimension dim
            out = (out.transpose(dim, -1) @ weights.t()).transpose(dim, -1)
        else:
            offset = 0.5 if mode == "nearest-exact" else 0.0
            source = np.minimum(np.floor((np.arange(size_out) + offset) * scale).astype(np.int64),
                                size_in - 1)
            out = out[(slice(None),) * dim + (source,)]
    return out


def _output_sizes(sizes_in, size, scale_factor, recompute_scale_factor):
    """(output sizes, coordinate scales) from exactly one of ``size`` and ``scale_factor``."""
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    count = len(sizes_in)
    if size is not None:
        sizes = (size,) * count if isinstance(size, int) else tuple(size)
        if len(sizes) != count or any(s < 1 for s in sizes):
            raise ValueError(f"interpolate: size {size!r} must give {count} positive sizes")
        return sizes, tuple(n / s for n, s in zip(sizes_in, sizes))
    factors = (scale_factor,) * count if isinstance(scale_factor, (int, float)) \
        else tuple(scale_factor)
    if len(factors) != count or any(f <= 0 for f in factors):
        raise ValueError(f"interpolate: scale_factor {scale_factor!r} must give {count} "
                         "positive factors")
    sizes = tuple(int(math.floor(n * f)) for n, f in zip(sizes_in, factors))
    if recompute_scale_factor:
        return sizes, tuple(n / s for n, s in zip(sizes_in, sizes))
    return sizes, tuple(1.0 / f for f in factors)


def _linear_weights(size_in, size_out, scale, align_corners, dtype):
    """The (size_out, size_in) matrix of linear interpolation weights."""
    d = np.arange(size_out, dtype=np.float64)
    if align_corners:
        source = d * ((size_in - 1) / (size_out - 1)) if size_out > 1 else np.zeros(size_out)
    else:
        source = np.maximum((d + 0.5) * scale - 0.5, 0.0)
    low = np.minimum(np.floor(source).astype(np.int64), size_in - 1)
    high = np.minimum(low + 1, size_in - 1)
    fraction = source - low
    weights = np.zeros((size_out, size_in))
    np.add.at(weights, (np.arange(size_out), low), 1.0 - fraction)
    np.add.at(weights, (np.arange(size_out), high), fraction)
    return weights.astype(dtype)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """PyTorch's deprecated name for ``interpolate``."""
    return interpolate(input, size, scale_factor, mode, align_corners)
