"""Max pooling over windows that tile the image (kernel == stride, no padding), by reshapes.

With the image cut into blocks x6[n, c, i, u, j, v] = x[n, c, i*kh + u, j*kw + v], the output
is a max over (u, v), and the gradient of each output goes to one element of its block: the
first maximum in row-major order, or the last NaN if the block has one. Both are PyTorch's
choices (its kernel keeps ``val > max or isnan(val)``), checked against it in the tests.
"""
import numpy as np

from ..autograd import Function
from ._common import constant
from .elementwise import Mul
from .shape import Pad


def pytorch_argmax(windows):
    """The index PyTorch's max pooling picks along the last axis: the first maximum, or the
    last NaN where there is one (np.argmax alone would pick the first NaN)."""
    index = windows.argmax(axis=-1)
    nan = np.isnan(windows)
    has_nan = nan.any(axis=-1)
    if has_nan.any():
        last_nan = windows.shape[-1] - 1 - nan[..., ::-1].argmax(axis=-1)
        index = np.where(has_nan, last_nan, index)
    return index


def _blocks(x, kernel):
    """x cropped to whole blocks, as the (N, C, out_h, kh, out_w, kw) view x6."""
    n, c, height, width = x.shape
    kh, kw = kernel
    out_h, out_w = height // kh, width // kw
    return x[:, :, :out_h * kh, :out_w * kw].reshape(n, c, out_h, kh, out_w, kw)


def _max_2x2(x6):
    """Max and first-maximum mask of 2x2 blocks by three comparisons of strided quarters
    (NaN-free input): the running maximum changes only where a later element is larger."""
    top_left, top_right = x6[:, :, :, 0, :, 0], x6[:, :, :, 0, :, 1]
    bottom_left, bottom_right = x6[:, :, :, 1, :, 0], x6[:, :, :, 1, :, 1]
    take_1 = top_right > top_left
    best = np.maximum(top_left, top_right)
    take_2 = bottom_left > best
    np.maximum(best, bottom_left, out=best)
    take_3 = bottom_right > best
    np.maximum(best, bottom_right, out=best)
    mask = np.empty_like(x6, dtype=bool)  # the input's memory layout
    later = take_3.copy()
    mask[:, :, :, 1, :, 1] = take_3
    np.greater(take_2, later, out=mask[:, :, :, 1, :, 0])  # take_2 and not a later take
    later |= take_2
    np.greater(take_1, later, out=mask[:, :, :, 0, :, 1])
    later |= take_1
    np.logical_not(later, out=mask[:, :, :, 0, :, 0])
    return best, mask


def _max_general(x6):
    """Max and first-maximum mask of any blocks: argmax over each block laid out flat."""
    n, c, out_h, kh, out_w, kw = x6.shape
    flat = x6.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, out_h, out_w, kh * kw)
    index = pytorch_argmax(flat)
    mask = index[..., None] == np.arange(kh * kw)
    best = np.take_along_axis(flat, index[..., None], axis=-1)[..., 0]
    return best, mask.reshape(n, c, out_h, out_w, kh, kw).transpose(0, 1, 2, 4, 3, 5)


class MaxPool2dBlocks(Function):
    """out[n, c, i, j] = max_{u, v} x[n, c, i*kh + u, j*kw + v] (kernel == stride, no
    padding);  dx = g at the chosen element of each block, 0 elsewhere (rows and columns
    past the last whole block get 0)."""

    def forward(self, x, kernel):
        self.input_shape = x.shape
        x6 = _blocks(x, kernel)
        if kernel == (2, 2):
            best, mask = _max_2x2(x6)
            if np.isnan(best).any():  # NaN compares false: redo with PyTorch's NaN rule
                best, mask = _max_general(x6)
        else:
            best, mask = _max_general(x6)
        self.mask = mask
        return best

    def backward(self, grad, out):
        n, c, out_h, kh, out_w, kw = self.mask.shape
        # A broadcast multiply by the constant mask, so the gradient is differentiable too;
        # the mask goes first so that the result takes its (the input's) memory layout.
        spread = Mul.apply(constant(self.mask), grad.reshape(n, c, out_h, 1, out_w, 1))
        spread = spread.reshape(n, c, out_h * kh, out_w * kw)
        height, width = self.input_shape[2:]
        if (height, width) != (out_h * kh, out_w * kw):
            spread = Pad.apply(spread, pad=(0, width - out_w * kw, 0, height - out_h * kh))
        return (spread,)
