"""Convolution and pooling via im2col: every window becomes a row, and the layer becomes
one matrix multiply (convolution) or one reduction over each row (pooling)."""
import numpy as np

from ... import ops
from ...functional import pad, where
from ...ops._common import constant
from ...tensor import Tensor


def _pair(value, name):
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or any(not isinstance(v, (int, np.integer)) or v < 0 for v in pair):
        raise ValueError(f"{name} must be a non-negative int or a pair of them; got {value!r}")
    return pair


def _windows(x, kernel_size, stride, padding, pad_value=0.0):
    """im2col of x padded: rows of (C * kh * kw) values, (N * out_h * out_w) of them."""
    if x.ndim != 4:
        raise ValueError(f"expected a 4-D input (N, C, H, W); got shape {x.shape}")
    kernel, stride, padding = _pair(kernel_size, "kernel_size"), _pair(stride, "stride"), \
        _pair(padding, "padding")
    if 0 in kernel or 0 in stride:
        raise ValueError(f"kernel_size {kernel} and stride {stride} must be positive")
    if padding != (0, 0):
        # F.pad's order: (left, right, top, bottom)
        x = pad(x, (padding[1], padding[1], padding[0], padding[0]), value=pad_value)
    cols = ops.Im2Col.apply(x, kernel=kernel, stride=stride)
    n, _, h, w = x.shape
    out_h, out_w = (h - kernel[0]) // stride[0] + 1, (w - kernel[1]) // stride[1] + 1
    return cols, (n, out_h, out_w), kernel


def conv2d(x: Tensor, weight: Tensor, bias: Tensor = None, stride=1, padding=0) -> Tensor:
    """out[n, o, i, j] = b[o] + sum_{c, u, v} w[o, c, u, v] * x_pad[n, c, i*s + u, j*s + v]:
    im2col, then (N * out_h * out_w, C * kh * kw) @ (C * kh * kw, O)."""
    if x.ndim != 4 or weight.ndim != 4 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"conv2d: input {x.shape} (N, C, H, W) and weight {weight.shape} "
                         "(out_channels, C, kh, kw) must agree on C")
    cols, (n, out_h, out_w), _ = _windows(x, weight.shape[2:], stride, padding)
    out = cols @ weight.reshape(weight.shape[0], -1).T
    if bias is not None:
        out = out + bias
    return out.reshape(n, out_h, out_w, weight.shape[0]).permute(0, 3, 1, 2)


def _pool(x, kernel_size, stride, padding, pad_value):
    stride = kernel_size if stride is None else stride
    if x.ndim != 4:
        raise ValueError(f"pooling expects a 4-D input (N, C, H, W); got shape {x.shape}")
    n, c, h, w = x.shape
    # Pool each channel separately: fold channels into the batch.
    cols, (_, out_h, out_w), _ = _windows(x.reshape(n * c, 1, h, w), kernel_size, stride,
                                          padding, pad_value)
    return cols, (n, c, out_h, out_w)


def max_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """out = max over each window (padding counts as -inf); the gradient goes to the
    window's first maximal element, as PyTorch's."""
    cols, shape = _pool(x, kernel_size, stride, padding, -np.inf)
    first_max = np.zeros(cols.shape, dtype=bool)
    first_max[np.arange(cols.shape[0]), np.argmax(cols.data, axis=1)] = True
    return where(constant(first_max), cols, 0.0).sum(1).reshape(shape)


def avg_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """out = mean over each window (zero padding included in the count, PyTorch's default)."""
    cols, shape = _pool(x, kernel_size, stride, padding, 0.0)
    return cols.mean(1).reshape(shape)
