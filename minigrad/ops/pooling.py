"""Max pooling over windows that tile the image (kernel == stride, no padding), by reshapes.

With the image cut into blocks x6[n, c, i, u, j, v] = x[n, c, i*kh + u, j*kw + v], the output
is a max over (u, v), and the gradient of each output goes to one element of its block: the
first maximum in row-major order, or the last NaN if the block has one. Both are PyTorch's
choices (its kernel keeps ``val > max or isnan(val)``), checked against it in the tests.
"""
import numpy as np

from .. import parallel_kernels
from ..autograd import Function
from ..static.hooks import kernel as static_kernel
from ._common import constant
from .elementwise import Mul


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


def _quarters(x6):
    """The four elements of each 2x2 block, in row-major order, as strided views."""
    return [x6[:, :, :, u, :, v] for u in (0, 1) for v in (0, 1)]


def _max_of_four(a, b, c, d, out):
    np.maximum(a, b, out=out)
    np.maximum(out, c, out=out)
    return np.maximum(out, d, out=out)


def _first_max_mask_2x2(x6, best):
    """Where each 2x2 block's first maximum is (NaN-free input), on the pool when large
    (every block is independent: the same bits for any number of threads)."""
    mask = np.empty_like(x6, dtype=bool)  # the input's memory layout
    n, c, out_h, _, out_w, _ = x6.shape
    # Cut along (n, c, out_h, out_w) only: the block axes must stay whole in each piece.
    return parallel_kernels.run(_first_max_2x2, mask, x6, best.reshape(n, c, out_h, 1, out_w, 1),
                                axes=(0, 1, 2, 4))


def _first_max_2x2(x6, best6, out):
    """The first element of each block equal to the block's max, found by three comparisons
    while ``free`` marks the blocks still open."""
    mask, best = out, best6[:, :, :, 0, :, 0]
    quarters, picks = _quarters(x6), _quarters(mask)
    np.equal(quarters[0], best, out=picks[0])
    free = ~picks[0]
    for quarter, pick in zip(quarters[1:3], picks[1:3]):
        np.equal(quarter, best, out=pick)
        pick &= free
        np.greater(free, pick, out=free)  # free and not picked here
    picks[3][...] = free  # no earlier element holds the max: the last one does
    return mask


def _first_max_mask(x6):
    """Where each block's first maximum (or last NaN) is: argmax over each block laid flat."""
    n, c, out_h, kh, out_w, kw = x6.shape
    flat = x6.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, out_h, out_w, kh * kw)
    mask = pytorch_argmax(flat)[..., None] == np.arange(kh * kw)
    return mask.reshape(n, c, out_h, out_w, kh, kw).transpose(0, 1, 2, 4, 3, 5)


class MaxPool2dBlocks(Function):
    """out[n, c, i, j] = max_{u, v} x[n, c, i*kh + u, j*kw + v] (kernel == stride, no
    padding);  dx = g at the chosen element of each block, 0 elsewhere (rows and columns
    past the last whole block get 0)."""

    saved_inputs = (0,)
    saves_output = True
    private_output = True  # PyTorch's max pooling keeps indices, not its output

    def forward(self, x, kernel):
        self.kernel = kernel
        x6 = _blocks(x, kernel)
        if kernel == (2, 2):  # three maxima of strided quarters beat a reduction over two axes
            quarters = _quarters(x6)
            best = np.empty_like(quarters[0])  # the input's layout (batch-last stays so)
            return parallel_kernels.run(_max_of_four, best, *quarters)
        return x6.max(axis=(3, 5))

    def backward(self, grad, out):
        # Where the maxima are is found only now, as the hand-written reference does: the
        # forward pass stays a pure max, and inference never pays for it.
        x = self.inputs[0]
        # A kernel, so that a compiled step finds the maxima anew (NaN check included).
        mask = static_kernel(_max_mask, x.array, out.array, self.kernel)
        return (SpreadToBlocks.apply(grad, mask=mask, like=x.array),)


def _max_mask(x, out, kernel):
    """Marks each block's first maximum (the last NaN of a block that has one, as PyTorch)."""
    x6 = _blocks(x, kernel)
    if kernel == (2, 2) and not np.isnan(out).any():
        return _first_max_mask_2x2(x6, out)
    return _first_max_mask(x6)


class SpreadToBlocks(Function):
    """out = zeros shaped like the pooled input, with g[n, c, i, j] at the element of block
    (i, j) that ``mask`` marks;  dg = the marked element of each block of h (a gather, written
    as a masked sum so that it is differentiable in turn)."""

    def forward(self, g, mask, like):
        self.mask, self.input_shape = mask, like.shape
        n, c, out_h, kh, out_w, kw = mask.shape
        # Allocated in the input's memory layout: with a batch-last input, the ReLU and the
        # convolution that take this gradient next read it without a transpose.
        cropped = like.shape[2:] != (out_h * kh, out_w * kw)
        out = np.zeros_like(like) if cropped else np.empty_like(like)
        pooled_layout = np.empty_like(mask[:, :, :, 0, :, 0], dtype=g.dtype)
        if pooled_layout.strides != g.strides:  # e.g. from a Flatten: one small transpose
            pooled_layout[...] = g                  # saves a strided gather per element below
            g = pooled_layout
        parallel_kernels.run(np.multiply, _blocks(out, (kh, kw)), mask,
                             g.reshape(n, c, out_h, 1, out_w, 1))
        return out

    def backward(self, grad, out):
        n, c, out_h, kh, out_w, kw = self.mask.shape
        blocks = grad[:, :, :out_h * kh, :out_w * kw].reshape(n, c, out_h, kh, out_w, kw)
        return (Mul.apply(blocks, constant(self.mask)).sum((3, 5)),)
