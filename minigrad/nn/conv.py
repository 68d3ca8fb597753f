"""The 2-D convolution layer."""
import math

import numpy as np

from ._factory import parameter_dtype
from . import functional as F, init
from .functional.conv import pair
from .module import Module
from .parameter import Parameter


class Conv2d(Module):
    """out[n, o] = b[o] + sum_c w[o, c] (*) x[n, c] (cross-correlation, as in PyTorch), with
    weight (out_channels, in_channels / groups, kh, kw): each of the ``groups`` groups of
    output channels sees only its own group of input channels. Initialised like PyTorch:
    uniform in +-1/sqrt(in_channels / groups * kh * kw). Only ``padding_mode='zeros'`` is
    supported (reflect, replicate and circular padding are refused)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device=None, dtype=None):
        super().__init__()
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"padding_mode must be one of 'zeros', 'reflect', 'replicate' or "
                             f"'circular'; got {padding_mode!r}")
        if padding_mode != "zeros":
            raise NotImplementedError(f"Conv2d: padding_mode={padding_mode!r} is not supported "
                                      "by minigrad; only 'zeros'")
        self.padding_mode = padding_mode
        dtype = parameter_dtype(device, dtype)
        kh, kw = pair(kernel_size, "kernel_size", 1)
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(f"in_channels ({in_channels}) and out_channels ({out_channels}) "
                             f"must both be divisible by groups ({groups})")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = (kh, kw), stride, padding
        self.dilation, self.groups = dilation, groups
        fan_in = in_channels // groups * kh * kw
        self.weight = Parameter(np.empty((out_channels, in_channels // groups, kh, kw),
                                         dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(fan_in)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)

    def extra_repr(self):
        # PyTorch's: the sizes as pairs, and only the options that differ from the defaults.
        def as_pair(value):
            return value if isinstance(value, str) else pair(value, "value")
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={as_pair(self.stride)}")
        if as_pair(self.padding) != (0, 0):
            text += f", padding={as_pair(self.padding)}"
        if as_pair(self.dilation) != (1, 1):
            text += f", dilation={as_pair(self.dilation)}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text
