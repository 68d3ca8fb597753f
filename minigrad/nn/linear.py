"""The fully connected layer."""
import math

import numpy as np

from ._factory import parameter_dtype
from . import functional as F, init
from .module import Module
from .parameter import Parameter


class Linear(Module):
    """y = x W^T + b, W of shape (out_features, in_features).

    PyTorch's initialisation: W and b uniform in +-1/sqrt(in_features) (kaiming_uniform_
    with a = sqrt(5) for W reduces to exactly that bound). ``device`` must be the CPU;
    ``dtype`` is the parameters' (float32 by default)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        self.bias = Parameter(np.empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
