"""2-D max and average pooling. Windows that tile the image (kernel == stride, no padding,
the CNN's 2x2) go through reshapes; any other shape takes a general path."""
import numpy as np

from ... import ops
from ...functional import pad
from ...ops.pooling import pytorch_argmax
from ...static.hooks import kernel as static_kernel
from ...tensor import Tensor
from .conv import conv2d, pair


def _geometry(x, kernel_size, stride, padding):
    if x.ndim != 4:
        raise ValueError(f"expected a 4-D input (N, C, H, W); got shape {x.shape}")
    kernel = pair(kernel_size, "kernel_size", 1)
    stride = kernel if stride is None else pair(stride, "stride", 1)
    padding = pair(padding, "padding")
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        raise ValueError(f"padding {padding} should be at most half of kernel_size {kernel}")
    height, width = x.shape[2] + 2 * padding[0], x.shape[3] + 2 * padding[1]
    if height < kernel[0] or width < kernel[1]:
        raise ValueError(f"kernel {kernel} is larger than the (padded) input {(height, width)} "
                         f"of an input of shape {x.shape}")
    out = ((height - kernel[0]) // stride[0] + 1, (width - kernel[1]) // stride[1] + 1)
    return kernel, stride, padding, out


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """out[n, c, i, j] = max_{u < kh, v < kw} x_pad[n, c, i*s + u, j*s + v], padding counting as
    -inf (stride defaults to kernel_size). The gradient goes to the first maximal element of
    each window in row-major order, or to its last NaN, as in PyTorch."""
    kernel, stride, padding, (out_h, out_w) = _geometry(input, kernel_size, stride, padding)
    if stride == kernel and padding == (0, 0):
        return ops.MaxPool2dBlocks.apply(input, kernel=kernel)
    # General windows: find each window's chosen element, then gather it. Overlapping
    # windows may choose the same element, so the backward must scatter-add.
    source = input if padding == (0, 0) else pad(
        input, (padding[1], padding[1], padding[0], padding[0]), value=-np.inf)
    # A kernel: under minigrad.compile the positions are found anew at every step.
    flat_index = static_kernel(_chosen_positions, source.array, kernel, stride, (out_h, out_w))
    overlap = stride[0] < kernel[0] or stride[1] < kernel[1]
    return ops.GetItem.apply(source.reshape(-1), index=flat_index, unique=not overlap)


def _chosen_positions(source, kernel, stride, out_size):
    """The flat index into ``source`` (N, C, H, W) of each window's chosen element."""
    n, c, height, width = source.shape
    out_h, out_w = out_size
    view = np.lib.stride_tricks.sliding_window_view(source, kernel, axis=(2, 3))
    view = view[:, :, ::stride[0], ::stride[1]][:, :, :out_h, :out_w]
    du, dv = np.divmod(pytorch_argmax(view.reshape(n, c, out_h, out_w, -1)), kernel[1])
    rows = np.arange(out_h)[:, None] * stride[0] + du
    columns = np.arange(out_w)[None, :] * stride[1] + dv
    return (np.arange(n * c).reshape(n, c, 1, 1) * height + rows) * width + columns


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    """out[n, c, i, j] = (1 / (kh kw)) sum_{u, v} x_pad[n, c, i*s + u, j*s + v], zero padding
    counted in the divisor (PyTorch's default count_include_pad=True)."""
    kernel, stride, padding, (out_h, out_w) = _geometry(input, kernel_size, stride, padding)
    n, c = input.shape[:2]
    if stride == kernel and padding == (0, 0):
        kh, kw = kernel
        blocks = input[:, :, :out_h * kh, :out_w * kw].reshape(n, c, out_h, kh, out_w, kw)
        return blocks.mean((3, 5))
    # General windows: a convolution of each plane with a constant kernel of 1 / (kh kw).
    planes = input.reshape(n * c, 1, *input.shape[2:])
    weight = Tensor(np.full((1, 1) + kernel, 1.0 / (kernel[0] * kernel[1]), dtype=input.dtype))
    return conv2d(planes, weight, stride=stride, padding=padding).reshape(n, c, out_h, out_w)
