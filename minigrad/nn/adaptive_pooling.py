"""Adaptive pooling layers: pool to a fixed output size, whatever the input size (the
classifier head of a CNN that accepts any image size)."""
from . import functional as F
from .module import Module


class AdaptiveAvgPool2d(Module):
    """The mean of each of output_size[0] x output_size[1] windows (PyTorch's start/end
    formula, see ``functional.adaptive_pooling``); PyTorch's ``nn.AdaptiveAvgPool2d(
    output_size)``, an int, a pair, or a pair with None to keep that input size."""

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, x):
        return F.adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(AdaptiveAvgPool2d):
    """The maximum of each window; PyTorch's ``nn.AdaptiveMaxPool2d(output_size,
    return_indices=False)``."""

    def __init__(self, output_size, return_indices: bool = False):
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, x):
        return F.adaptive_max_pool2d(x, self.output_size, self.return_indices)
