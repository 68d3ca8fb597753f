"""im2col and col2im: the pair that turns convolution and pooling into one matrix multiply.

im2col copies every kernel-sized window of a padded (N, C, H, W) input into a column, giving
(N, C * kh * kw, out_h * out_w); col2im adds such columns back into an image, summing where
windows overlap. Each is the other's adjoint, so each one's backward is the other. The
output positions are the innermost axis, so the copy streams through memory in rows.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..autograd import Function


def output_size(size, kernel, stride):
    return (size - kernel) // stride + 1


def windows(x, kernel, stride):
    """A strided view (N, C, kh, kw, out_h, out_w) of every window: no copy, no loop."""
    n, c, h, w = x.shape
    kh, kw = kernel
    out_h, out_w = output_size(h, kh, stride[0]), output_size(w, kw, stride[1])
    s_n, s_c, s_h, s_w = x.strides
    return as_strided(x, (n, c, kh, kw, out_h, out_w),
                      (s_n, s_c, s_h, s_w, s_h * stride[0], s_w * stride[1]), writeable=False)


class Im2Col(Function):
    """out[n, (c, u, v), (i, j)] = x[n, c, i*sh + u, j*sw + v];  dx = col2im(g)."""

    def forward(self, x, kernel, stride):
        if x.ndim != 4:
            raise ValueError(f"expected a 4-D (N, C, H, W) input; got shape {x.shape}")
        if x.shape[2] < kernel[0] or x.shape[3] < kernel[1]:
            raise ValueError(f"kernel {tuple(kernel)} is larger than the (padded) input "
                             f"{x.shape[2:]} of shape {x.shape}")
        self.kernel, self.stride, self.input_shape = kernel, stride, x.shape
        view = windows(x, kernel, stride)
        n, c, kh, kw, out_h, out_w = view.shape
        return view.reshape(n, c * kh * kw, out_h * out_w)  # the reshape makes the one copy

    def backward(self, grad, out):
        return (Col2Im.apply(grad, kernel=self.kernel, stride=self.stride,
                             image_shape=self.input_shape),)


class Col2Im(Function):
    """out = the image whose im2col adjoint gives ``cols``: each row added back into its
    window;  dcols = im2col(g)."""

    def forward(self, cols, kernel, stride, image_shape):
        self.kernel, self.stride = kernel, stride
        n, c, h, w = image_shape
        kh, kw = kernel
        out_h, out_w = output_size(h, kh, stride[0]), output_size(w, kw, stride[1])
        columns = cols.reshape(n, c, kh, kw, out_h, out_w)
        image = np.zeros(image_shape, dtype=cols.dtype)
        # One strided add per kernel offset (kh * kw of them), never one per pixel.
        for u in range(kh):
            for v in range(kw):
                image[:, :, u:u + stride[0] * out_h:stride[0],
                      v:v + stride[1] * out_w:stride[1]] += columns[:, :, u, v]
        return image

    def backward(self, grad, out):
        return (Im2Col.apply(grad, kernel=self.kernel, stride=self.stride),)
