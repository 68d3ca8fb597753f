"""The 1-D convolution and pooling layers for sequences (N, C, L), PyTorch's ``Conv1d``,
``MaxPool1d`` and ``AvgPool1d`` with their signatures (``functional.one_dimensional``)."""
import math

import numpy as np

from . import functional as F, init
from ._factory import parameter_dtype
from .module import Module
from .parameter import Parameter


class Conv1d(Module):
    """out[n, o] = b[o] + sum_c w[o, c] (*) x[n, c] along the sequence, weight
    (out_channels, in_channels / groups, kernel_size), initialised like PyTorch: uniform in
    +-1/sqrt(in_channels / groups * kernel_size). ``padding_mode`` 'zeros' (default),
    'reflect', 'replicate' or 'circular' says what the padding holds."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device=None, dtype=None):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        kernel = kernel_size[0] if isinstance(kernel_size, (tuple, list)) else kernel_size
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(f"in_channels ({in_channels}) and out_channels ({out_channels}) "
                             f"must both be divisible by groups ({groups})")
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"padding_mode must be 'zeros', 'reflect', 'replicate' or "
                             f"'circular'; got {padding_mode!r}")
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel
        self.stride, self.padding, self.dilation = stride, padding, dilation
        self.groups, self.padding_mode = groups, padding_mode
        self.weight = Parameter(np.empty((out_channels, in_channels // groups, kernel), dtype))
        self.bias = Parameter(np.empty(out_channels, dtype)) if bias else None
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(in_channels // groups * kernel)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        padding = self.padding[0] if isinstance(self.padding, (tuple, list)) else self.padding
        if self.padding_mode == "zeros" or padding in (0, "valid"):
            return F.conv1d(input, self.weight, self.bias, self.stride, padding, self.dilation,
                            self.groups)
        if padding == "same":
            total = self.dilation * (self.kernel_size - 1)
            sides = (total // 2, total - total // 2)
        else:
            sides = (padding, padding)
        padded = F.pad(input, sides, self.padding_mode)
        return F.conv1d(padded, self.weight, self.bias, self.stride, 0, self.dilation,
                        self.groups)

    def extra_repr(self):
        # PyTorch's repr: options shown only where they differ from the defaults
        shown = [f"{self.in_channels}, {self.out_channels}", f"kernel_size=({self.kernel_size},)",
                 f"stride=({self.stride},)"]
        if self.padding != 0:
            shown.append(f"padding={self.padding}" if isinstance(self.padding, str)
                         else f"padding=({self.padding},)")
        if self.dilation != 1:
            shown.append(f"dilation=({self.dilation},)")
        if self.groups != 1:
            shown.append(f"groups={self.groups}")
        if self.bias is None:
            shown.append("bias=False")
        if self.padding_mode != "zeros":
            shown.append(f"padding_mode={self.padding_mode}")
        return ", ".join(shown)


class MaxPool1d(Module):
    """The maximum of each window; ``MaxPool1d(kernel_size, stride=None, padding=0,
    dilation=1, return_indices=False, ceil_mode=False)`` (the defaults of the last three
    only)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1,
                 return_indices: bool = False, ceil_mode: bool = False):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.return_indices, self.ceil_mode = dilation, return_indices, ceil_mode

    def forward(self, input):
        return F.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            self.ceil_mode, self.return_indices)

    def extra_repr(self):
        stride = self.kernel_size if self.stride is None else self.stride
        return f"kernel_size={self.kernel_size}, stride={stride}, padding={self.padding}"


class AvgPool1d(Module):
    """The mean of each window; ``AvgPool1d(kernel_size, stride=None, padding=0,
    ceil_mode=False, count_include_pad=True)`` (the defaults of the last two only)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self):
        stride = self.kernel_size if self.stride is None else self.stride
        return f"kernel_size=({self.kernel_size},), stride=({stride},), padding=({self.padding},)"
