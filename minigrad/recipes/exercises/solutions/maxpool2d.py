"""Exercise maxpool2d: 2x2 max pooling with stride 2, PyTorch's F.max_pool2d(x, 2).

    out[n, c, i, j] = max over the window x[n, c, 2i:2i+2, 2j:2j+2]      x (N, C, H, W), H, W even

Return dL/dx given grad_output (N, C, H/2, W/2): each output's gradient goes to the element
of its window that was the maximum, every other element gets 0. forward saves which element
that was (ctx.index, 0..3 within the window, row by row). With a tie, the gradient goes to
one element only, as in PyTorch (the first): not to all tied ones.
NumPy inside backward is fine here: read grad_output.array, return mg.Tensor(array).
"""
import numpy as np

import minigrad as mg
from minigrad.autograd import Function


def windows_of(array):
    """(N, C, H, W) -> (N, C, H/2, W/2, 4): the four elements of each 2x2 window, row by row."""
    n, c, h, w = array.shape
    return array.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(
        n, c, h // 2, w // 2, 4)


def from_windows(windows):
    """The inverse of windows_of: (N, C, H/2, W/2, 4) -> (N, C, H, W)."""
    n, c, h2, w2, _ = windows.shape
    return windows.reshape(n, c, h2, w2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(
        n, c, 2 * h2, 2 * w2)


class MaxPool2d(Function):
    @staticmethod
    def forward(ctx, x):
        windows = windows_of(x.array)
        ctx.index = windows.argmax(-1)  # the first maximum of each window
        return mg.Tensor(np.take_along_axis(windows, ctx.index[..., None], -1)[..., 0])

    @staticmethod
    def backward(ctx, grad_output):
        # BEGIN SOLUTION
        g = grad_output.array
        windows = np.zeros(g.shape + (4,), dtype=g.dtype)
        np.put_along_axis(windows, ctx.index[..., None], g[..., None], -1)
        return mg.Tensor(from_windows(windows))
        # END SOLUTION
