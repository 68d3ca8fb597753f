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


def _refuse_ceil_mode(x, kernel_size, stride, padding, ceil_mode):
    """ceil_mode=True adds a last, partial window where the windows do not tile the input;
    minigrad has no partial windows, so it accepts ceil_mode only where there is none."""
    if not ceil_mode:
        return
    kernel, stride, padding, _ = _geometry(x, kernel_size, stride, padding)
    sizes = (x.shape[2] + 2 * padding[0] - kernel[0], x.shape[3] + 2 * padding[1] - kernel[1])
    if sizes[0] % stride[0] or sizes[1] % stride[1]:
        raise NotImplementedError(
            f"ceil_mode=True is not supported by minigrad where it adds a partial window (here "
            f"kernel {kernel}, stride {stride}, padding {padding} on an input of shape "
            f"{x.shape}); pad the input instead")


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor:
    """out[n, c, i, j] = max_{u < kh, v < kw} x_pad[n, c, i*s + u, j*s + v], padding counting as
    -inf (stride defaults to kernel_size). The gradient goes to the first maximal element of
    each window in row-major order, or to its last NaN, as in PyTorch. PyTorch's signature;
    dilation other than 1 and return_indices=True are refused."""
    if pair(dilation, "dilation", 1) != (1, 1):
        raise NotImplementedError(f"max_pool2d: dilation {dilation!r} is not supported by "
                                  "minigrad; only 1")
    if return_indices:
        raise NotImplementedError("max_pool2d: return_indices=True is not supported by minigrad")
    _refuse_ceil_mode(input, kernel_size, stride, padding, ceil_mode)
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


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """out[n, c, i, j] = (1 / D) sum_{u, v} x_pad[n, c, i*s + u, j*s + v] with D = kh kw
    (zero padding counted: PyTorch's default count_include_pad=True), the number of
    non-padding elements of the window (count_include_pad=False), or divisor_override."""
    _refuse_ceil_mode(input, kernel_size, stride, padding, ceil_mode)
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError("avg_pool2d: divisor_override must be non-zero")
        kernel = pair(kernel_size, "kernel_size", 1)
        total = avg_pool2d(input, kernel_size, stride, padding)  # the mean over kh kw
        return total * (kernel[0] * kernel[1] / divisor_override)
    if not count_include_pad and padding != 0:
        # The mean over the real elements: the padded mean divided by the padded mean of ones
        # (the fraction of each window that is inside the image).
        inside = avg_pool2d(Tensor(np.ones((1, 1) + input.shape[2:], dtype=input.dtype)),
                            kernel_size, stride, padding)
        return avg_pool2d(input, kernel_size, stride, padding) / inside
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
