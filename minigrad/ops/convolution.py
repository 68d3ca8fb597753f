"""2-D convolution as three primitives that are each other's derivatives.

With x (N, C, H, W), w (O, C/G, kh, kw), stride s, padding p, dilation d and G groups,

    out[n, o, i, j] = sum_{c in o's group, u, v} w[o, c, u, v] * x_pad[n, c, i*s + u*d, j*s + v*d]

is bilinear in (x, w). Its two adjoints are bilinear too, and the derivatives of all three
are again these three, so gradients of any order come from the same NumPy kernels:

    Conv2d(x, w)            dx = Conv2dInput(g, w),    dw = Conv2dWeight(x, g)
    Conv2dInput(g, w)       dg = Conv2d(h, w),         dw = Conv2dWeight(h, g)
    Conv2dWeight(x, g)      dx = Conv2dInput(g, h),    dg = Conv2d(x, h)

(h is the incoming gradient of the op in each row). Each kernel is one large GEMM: im2col
lays the windows out as (G, C/G * kh * kw, out_h * out_w * N), so the weight multiplies every
window of the batch at once, with contiguous operands, instead of N small matrix multiplies.
Wide stride-1 3x3 layers take Winograd's F(2x2, 3x3) instead (``winograd.py``): the same
three kernels with 2.25x fewer multiplications, chosen per layer shape by a measured rule.

The batch is the innermost axis of every buffer here ("CHWN"): a window's rows, a pooling
block's elements and a ReLU's inputs then all lie in runs of N * out_w floats, so NumPy's
copies and adds stream through long rows instead of looping over rows of a few pixels. The
results are handed on as (N, C, H, W) views of CHWN memory: ReLU and pooling keep that
layout, and the next convolution reads it without a transpose.
"""
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import parallel_kernels
from ..autograd import Function
from . import winograd
from .elementwise import _each_needs_the_other


class Geometry(NamedTuple):
    """stride, padding, dilation (pairs) and groups of one convolution, and its output size.
    A value (equal when its fields are), so a recorded step sees the same geometry twice."""
    stride: tuple
    padding: tuple
    dilation: tuple
    groups: int

    def output_size(self, height, width, kh, kw):
        (sh, sw), (ph, pw), (dh, dw) = self.stride, self.padding, self.dilation
        return ((height + 2 * ph - dh * (kh - 1) - 1) // sh + 1,
                (width + 2 * pw - dw * (kw - 1) - 1) // sw + 1)


def batch_last(x):
    """An (N, C, H, W) array as a C-contiguous (C, H, W, N) array (free if it lies that way)."""
    return parallel_kernels.copy(x.transpose(1, 2, 3, 0))


def im2col(x, kernel, geometry):
    """(G, C/G * kh * kw, out_h * out_w * N): column (i, j, n) holds the window of output
    pixel (i, j) of image n, rows ordered (c, u, v) like a flattened weight."""
    n, c, height, width = x.shape
    kh, kw = kernel
    (sh, sw), (ph, pw), (dh, dw) = geometry.stride, geometry.padding, geometry.dilation
    out_h, out_w = geometry.output_size(height, width, kh, kw)
    if ph or pw:
        source = np.zeros((c, height + 2 * ph, width + 2 * pw, n), dtype=x.dtype)
        parallel_kernels.run(_copy_into, source[:, ph:ph + height, pw:pw + width],
                             x.transpose(1, 2, 3, 0))
    else:
        source = batch_last(x)
    s_c, s_h, s_w, s_n = source.strides
    view = as_strided(source, (c, kh, kw, out_h, out_w, n),
                      (s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw, s_n), writeable=False)
    cols = parallel_kernels.copy(view)  # the one copy of the forward pass, on the pool
    return cols.reshape(geometry.groups, c // geometry.groups * kh * kw, out_h * out_w * n)


def col2im(cols, input_shape, kernel, geometry):
    """The adjoint of im2col: each column's entries added back where they were read from.
    One strided add per kernel offset (kh * kw of them), never one per pixel; returns an
    (N, C, H, W) view of a CHWN buffer."""
    n, c, height, width = input_shape
    kh, kw = kernel
    (sh, sw), (ph, pw), (dh, dw) = geometry.stride, geometry.padding, geometry.dilation
    out_h, out_w = geometry.output_size(height, width, kh, kw)
    columns = cols.reshape(c, kh, kw, out_h, out_w, n)
    image = np.zeros((c, height + 2 * ph, width + 2 * pw, n), dtype=cols.dtype)

    def add_windows(columns, out):  # the adds of some channels, in the same order for each
        for u in range(kh):
            for v in range(kw):
                out[:, u * dh:u * dh + sh * (out_h - 1) + 1:sh,
                    v * dw:v * dw + sw * (out_w - 1) + 1:sw] += columns[:, u, v]
    # Channels are independent: split over the pool, the same bits for any thread count.
    parallel_kernels.run(add_windows, image, columns, axes=(0,))
    return image[:, ph:ph + height, pw:pw + width].transpose(3, 0, 1, 2)


def _copy_into(source, out):
    np.copyto(out, source)


def _grouped_rows(array, groups):
    """(O, ...) -> (G, O/G, prod(...)): one row per output channel, grouped."""
    return array.reshape(groups, array.shape[0] // groups, -1)


def columns(x, weight_shape, geometry):
    """What the forward and the weight gradient both read from x: im2col's columns, or the
    transformed tiles when the layer takes Winograd's path (``winograd.use``)."""
    if winograd.use(x.shape, weight_shape, geometry):
        return winograd.input_tiles(x, geometry.padding)
    return im2col(x, weight_shape[2:], geometry)


def conv_forward(x, weight, geometry, cols=None):
    """The convolution: Winograd's F(2x2, 3x3) where it applies and pays, else im2col and
    GEMM (``cols`` from ``columns``)."""
    if winograd.use(x.shape, weight.shape, geometry):
        return winograd.forward(x, weight, geometry.padding, cols)
    return gemm_forward(x, weight, geometry, cols)


def gemm_forward(x, weight, geometry, cols=None):
    """out (N, O, out_h, out_w) = W (G, O/G, C/G*kh*kw) @ im2col(x), one GEMM per group."""
    n, o, kernel = x.shape[0], weight.shape[0], weight.shape[2:]
    out_h, out_w = geometry.output_size(x.shape[2], x.shape[3], *kernel)
    if cols is None:
        cols = im2col(x, kernel, geometry)
    out = np.matmul(_grouped_rows(weight, geometry.groups), cols)  # (G, O/G, out_h*out_w*N)
    return out.reshape(o, out_h, out_w, n).transpose(3, 0, 1, 2)


def conv_input_grad(g, weight, input_shape, geometry):
    """The input gradient, by the path the forward took (``conv_forward``)."""
    if winograd.use(input_shape, weight.shape, geometry):
        return winograd.input_grad(g, weight, geometry.padding)
    return gemm_input_grad(g, weight, input_shape, geometry)


def gemm_input_grad(g, weight, input_shape, geometry):
    """dx = col2im(W^T @ g): the GEMM gives every window's gradient, col2im sums them."""
    weights = _grouped_rows(weight, geometry.groups).transpose(0, 2, 1)  # (G, C/G*k*k, O/G)
    grads = _grouped_rows(batch_last(g), geometry.groups)                # (G, O/G, L*N)
    return col2im(np.matmul(weights, grads), input_shape, weight.shape[2:], geometry)


def conv_weight_grad(x, g, weight_shape, geometry, cols=None):
    """The weight gradient, by the path the forward took (``cols`` from ``columns``)."""
    if winograd.use(x.shape, weight_shape, geometry):
        return winograd.weight_grad(x, g, geometry.padding, cols)
    return gemm_weight_grad(x, g, weight_shape, geometry, cols)


def gemm_weight_grad(x, g, weight_shape, geometry, cols=None):
    """dW = g @ im2col(x)^T per group: a GEMM over every output pixel of the batch."""
    if cols is None:
        cols = im2col(x, weight_shape[2:], geometry)
    grads = _grouped_rows(batch_last(g), geometry.groups)
    return np.matmul(grads, cols.transpose(0, 2, 1)).reshape(weight_shape)


class Conv2d(Function):
    """out[n, o, i, j] = b[o] + sum_{c, u, v} w[o, c, u, v] x_pad[n, c, i*s + u*d, j*s + v*d]
    (cross-correlation, as PyTorch);  dx = Conv2dInput(g, w), dw = Conv2dWeight(x, g),
    db = sum of g over (n, i, j)."""
    saved_inputs = (0, 1)

    def forward(self, x, weight, bias=None, geometry=None):
        self.geometry = geometry
        # Keep the columns for the weight gradient: recomputing them costs a second copy.
        self.cols = columns(x, weight.shape, geometry)
        out = conv_forward(x, weight, geometry, self.cols)
        if bias is not None:
            # In place: out is a fresh array, seen as (N, O, h, w).
            parallel_kernels.run(np.add, out, out, bias[:, None, None])
        return out

    def saved_values(self):
        # dw reads the columns kept by forward, which may be a view of x: x counts as saved.
        return _each_needs_the_other(self.needs_input_grad), False

    def backward(self, grad, out):
        x, weight = self.inputs[0], self.inputs[1]
        needs, geometry = self.needs_input_grad, self.geometry
        grad_x = grad_w = grad_b = None
        if needs[0]:
            grad_x = Conv2dInput.apply(grad, weight, input_shape=x.shape, geometry=geometry)
        if needs[1]:
            grad_w = Conv2dWeight.apply(x, grad, weight_shape=weight.shape, geometry=geometry,
                                        cols=self.cols)
        if len(needs) > 2 and needs[2]:
            grad_b = grad.sum((0, 2, 3))
        return (grad_x, grad_w) if len(needs) == 2 else (grad_x, grad_w, grad_b)


class Conv2dInput(Function):
    """out = the gradient of a convolution for its input: dx = conv2d's adjoint applied to
    g;  dg = Conv2d(h, w), dw = Conv2dWeight(h, g)."""
    saved_inputs = (0, 1)

    def forward(self, g, weight, input_shape, geometry):
        self.geometry = geometry
        return conv_input_grad(g, weight, input_shape, geometry)

    def backward(self, grad, out):
        g, weight = self.inputs
        needs, geometry = self.needs_input_grad, self.geometry
        grad_g = Conv2d.apply(grad, weight, geometry=geometry) if needs[0] else None
        grad_w = Conv2dWeight.apply(grad, g, weight_shape=weight.shape,
                                    geometry=geometry) if needs[1] else None
        return grad_g, grad_w


class Conv2dWeight(Function):
    """out = the gradient of a convolution for its weight: dw[o, c, u, v] =
    sum_{n, i, j} g[n, o, i, j] x_pad[n, c, i*s + u*d, j*s + v*d];
    dx = Conv2dInput(g, h), dg = Conv2d(x, h)."""
    saved_inputs = (0, 1)

    def forward(self, x, g, weight_shape, geometry, cols=None):
        self.geometry = geometry
        return conv_weight_grad(x, g, weight_shape, geometry, cols)

    def backward(self, grad, out):
        x, g = self.inputs
        needs, geometry = self.needs_input_grad, self.geometry
        grad_x = Conv2dInput.apply(g, grad, input_shape=x.shape,
                                   geometry=geometry) if needs[0] else None
        grad_g = Conv2d.apply(x, grad, geometry=geometry) if needs[1] else None
        return grad_x, grad_g
