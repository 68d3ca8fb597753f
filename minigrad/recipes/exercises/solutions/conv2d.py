"""Exercise conv2d: a 2-D convolution (cross-correlation, as in PyTorch's F.conv2d) with
stride 1 and no padding.

    out[n, o, h, w] = b[o] + sum_{c, i, j} x[n, c, h + i, w + j] * weight[o, c, i, j]

x (N, C, H, W), weight (O, C, kh, kw), b (O,), out (N, O, H - kh + 1, W - kw + 1).
Return (dL/dx, dL/dweight, dL/db) given grad_output = g:
- dL/db[o] sums g over everything but o;
- dL/dweight[o, c, i, j] pairs each g[n, o, h, w] with the input element that met weight[o,
  c, i, j] there (the same windows as forward);
- dL/dx[n, c, p, q] collects g[n, o, p - i, q - j] * weight[o, c, i, j] over the positions that
  exist: a full correlation of g (padded by kh - 1, kw - 1) with the kernel flipped.
NumPy inside backward is fine (sliding_window_view and einsum as in forward).
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import minigrad as mg
from minigrad.autograd import Function


class Conv2d(Function):
    @staticmethod
    def forward(ctx, x, weight, b):
        kh, kw = weight.shape[2:]
        windows = sliding_window_view(x.array, (kh, kw), axis=(2, 3))  # N, C, Ho, Wo, kh, kw
        ctx.windows, ctx.weight = windows, weight.array
        out = np.einsum("nchwij,ocij->nohw", windows, weight.array)
        return mg.Tensor(out + b.array[None, :, None, None])

    @staticmethod
    def backward(ctx, grad_output):
        weight = ctx.weight
        # BEGIN SOLUTION
        g = grad_output.array
        kh, kw = weight.shape[2:]
        grad_weight = np.einsum("nchwij,nohw->ocij", ctx.windows, g)
        grad_b = g.sum((0, 2, 3))
        padded = np.pad(g, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
        g_windows = sliding_window_view(padded, (kh, kw), axis=(2, 3))  # N, O, H, W, kh, kw
        grad_x = np.einsum("nohwij,ocij->nchw", g_windows, weight[:, :, ::-1, ::-1])
        return mg.Tensor(grad_x), mg.Tensor(grad_weight), mg.Tensor(grad_b)
        # END SOLUTION
