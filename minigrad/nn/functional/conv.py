"""Convolution and pooling via im2col: every window becomes a column, and the layer becomes
one batched matrix multiply (convolution), a gather (max pooling) or a mean (average pooling)."""
import numpy as np

from ... import ops
from ...functional import pad
from ...ops.convolution import windows
from ...static.hooks import kernel as static_kernel
from ...tensor import Tensor


def _pair(value, name):
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or any(not isinstance(v, (int, np.integer)) or v < 0 for v in pair):
        raise ValueError(f"{name} must be a non-negative int or a pair of them; got {value!r}")
    return tuple(int(v) for v in pair)


def _geometry(x, kernel_size, stride, padding):
    if x.ndim != 4:
        raise ValueError(f"expected a 4-D input (N, C, H, W); got shape {x.shape}")
    kernel, stride = _pair(kernel_size, "kernel_size"), _pair(stride, "stride")
    padding = _pair(padding, "padding")
    if 0 in kernel or 0 in stride:
        raise ValueError(f"kernel_size {kernel} and stride {stride} must be positive")
    height, width = x.shape[2] + 2 * padding[0], x.shape[3] + 2 * padding[1]
    if height < kernel[0] or width < kernel[1]:
        raise ValueError(f"kernel {kernel} is larger than the (padded) input {(height, width)} "
                         f"of an input of shape {x.shape}")
    out = ((height - kernel[0]) // stride[0] + 1, (width - kernel[1]) // stride[1] + 1)
    return kernel, stride, padding, out


def _padded(x, padding, value):
    # F.pad's order: (left, right, top, bottom)
    if padding == (0, 0):
        return x
    return pad(x, (padding[1], padding[1], padding[0], padding[0]), value=value)


def conv2d(x: Tensor, weight: Tensor, bias: Tensor = None, stride=1, padding=0) -> Tensor:
    """out[n, o, i, j] = b[o] + sum_{c, u, v} w[o, c, u, v] * x_pad[n, c, i*s + u, j*s + v]
    (cross-correlation, as PyTorch): im2col gives (N, C*kh*kw, L), and one batched matmul
    (O, C*kh*kw) @ (N, C*kh*kw, L) gives (N, O, L) with L = out_h * out_w."""
    if x.ndim != 4 or weight.ndim != 4 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"conv2d: input {x.shape} (N, C, H, W) and weight {weight.shape} "
                         "(out_channels, C, kh, kw) must agree on C")
    kernel, stride, padding, (out_h, out_w) = _geometry(x, weight.shape[2:], stride, padding)
    cols = ops.Im2Col.apply(_padded(x, padding, 0.0), kernel=kernel, stride=stride)
    out = weight.reshape(weight.shape[0], -1) @ cols
    if bias is not None:
        out = out + bias.reshape(1, -1, 1)
    return out.reshape(x.shape[0], weight.shape[0], out_h, out_w)


def max_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """out = max over each window (padding counts as -inf). The gradient goes to the first
    maximal element of each window, as PyTorch's: the forward is a gather at those positions,
    so its backward is a scatter (an assignment when windows do not overlap)."""
    stride = kernel_size if stride is None else stride
    kernel, stride, padding, (out_h, out_w) = _geometry(x, kernel_size, stride, padding)
    source = _padded(x, padding, -np.inf)
    # A kernel: under minigrad.compile the positions of the maxima are found anew each step.
    flat_index = static_kernel(_max_positions, source.data, kernel_size=kernel, stride=stride)
    overlap = stride[0] < kernel[0] or stride[1] < kernel[1]
    return source.reshape(-1)[flat_index] if overlap else \
        ops.GetItem.apply(source.reshape(-1), index=flat_index, unique=True)


def _max_positions(source, kernel_size, stride):
    """The flat index into ``source`` (N, C, H, W) of each window's first maximum."""
    n, c, height, width = source.shape
    du, dv = _first_max_offsets(windows(source, kernel_size, stride))
    out_h, out_w = du.shape[2:]
    rows = np.arange(out_h)[:, None] * stride[0] + du
    columns = np.arange(out_w)[None, :] * stride[1] + dv
    planes = np.arange(n * c).reshape(n, c, 1, 1)
    return (planes * height + rows) * width + columns


def _first_max_offsets(view):
    """For each window of a (N, C, kh, kw, out_h, out_w) view: the (row, column) offset of its
    first maximum. np.argmax returns the first maximum and treats NaN as the maximum, both as
    PyTorch's max pooling does."""
    n, c, kh, kw, out_h, out_w = view.shape
    return np.divmod(view.reshape(n, c, kh * kw, out_h, out_w).argmax(axis=2), kw)


def avg_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """out = mean over each window (zero padding included in the count, PyTorch's default)."""
    stride = kernel_size if stride is None else stride
    kernel, stride, padding, (out_h, out_w) = _geometry(x, kernel_size, stride, padding)
    n, c = x.shape[:2]
    planes = _padded(x, padding, 0.0)
    planes = planes.reshape(n * c, 1, planes.shape[2], planes.shape[3])
    cols = ops.Im2Col.apply(planes, kernel=kernel, stride=stride)
    return cols.mean(1).reshape(n, c, out_h, out_w)
