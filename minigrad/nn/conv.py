"""The 2-D convolution layer."""
import math

import numpy as np

from . import functional as F, init
from .module import Module
from .parameter import Parameter


class Conv2d(Module):
    """out[n, o] = b[o] + sum_c w[o, c] (*) x[n, c] (cross-correlation, as in PyTorch), with
    weight (out_channels, in_channels, kh, kw). Initialised like PyTorch: uniform in
    +-1/sqrt(in_channels * kh * kw)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 bias: bool = True):
        super().__init__()
        kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = (kh, kw), stride, padding
        self.weight = Parameter(np.empty((out_channels, in_channels, kh, kw), dtype=np.float32))
        self.bias = Parameter(np.empty(out_channels, dtype=np.float32)) if bias else None
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(in_channels * kh * kw)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, bias={self.bias is not None}")
