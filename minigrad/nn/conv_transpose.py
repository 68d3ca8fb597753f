"""The 2-D transposed convolution layer (``functional.conv_transpose``)."""
import math

import numpy as np

from . import functional as F, init
from .functional.conv import pair
from ._factory import parameter_dtype
from .module import Module
from .parameter import Parameter


class ConvTranspose2d(Module):
    """The adjoint of Conv2d: upsamples (N, in_channels, H, W) to (N, out_channels,
    (H - 1) s - 2 p + d (k - 1) + output_padding + 1, likewise W). Weight (in_channels,
    out_channels / groups, kh, kw), initialised like PyTorch: uniform in +-1/sqrt(fan_in) with
    fan_in = out_channels / groups * kh * kw (PyTorch counts dimension 1 as the fan-in).
    PyTorch's ``nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1,
    padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros',
    device=None, dtype=None)``."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 output_padding=0, groups: int = 1, bias: bool = True, dilation=1,
                 padding_mode: str = "zeros", device=None, dtype=None):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        if padding_mode != "zeros":
            raise ValueError(f"Only 'zeros' padding mode is supported for ConvTranspose2d; got "
                             f"{padding_mode!r}")
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(f"in_channels ({in_channels}) and out_channels ({out_channels}) "
                             f"must both be divisible by groups ({groups})")
        kh, kw = pair(kernel_size, "kernel_size", 1)
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, (kh, kw)
        self.stride, self.padding, self.output_padding = stride, padding, output_padding
        self.groups, self.dilation, self.padding_mode = groups, dilation, padding_mode
        self.weight = Parameter(np.empty((in_channels, out_channels // groups, kh, kw), dtype))
        self.bias = Parameter(np.empty(out_channels, dtype)) if bias else None
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(out_channels // groups * kh * kw)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input, output_size=None):
        output_padding = self.output_padding
        if output_size is not None:  # the output_padding that gives this size
            stride, padding = pair(self.stride, "stride", 1), pair(self.padding, "padding")
            dilation = pair(self.dilation, "dilation", 1)
            smallest = [(n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in zip(
                input.shape[-2:], stride, padding, dilation, self.kernel_size)]
            output_padding = tuple(want - least for want, least in
                                   zip(tuple(output_size)[-2:], smallest))
        return F.conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                  output_padding, self.groups, self.dilation)

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={pair(self.stride, 'stride', 1)}"
                + (f", padding={pair(self.padding, 'padding')}" if self.padding != 0 else "")
                + (f", output_padding={pair(self.output_padding, 'output_padding')}"
                   if self.output_padding != 0 else "")
                + (f", dilation={pair(self.dilation, 'dilation', 1)}" if self.dilation != 1
                   else "")
                + (f", groups={self.groups}" if self.groups != 1 else "")
                + ("" if self.bias is not None else ", bias=False"))
