"""Activation layers: thin modules over ``nn.functional``."""
import warnings

import numpy as np

from ._factory import parameter_dtype
from . import functional as F
from .module import Module
from .parameter import Parameter


class ReLU(Module):
    """max(x, 0). ``inplace=True`` changes the input itself (recorded in the graph)."""

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x):
        return F.relu(x, self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x if x > 0 else negative_slope * x."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Module):
    """x if x > 0 else alpha * (e^x - 1)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x):
        return F.elu(x, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Hardtanh(Module):
    """min(max(x, min_val), max_val), PyTorch's ``nn.Hardtanh(min_val=-1.0, max_val=1.0,
    inplace=False)``."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value=None, max_value=None):
        super().__init__()
        # min_value / max_value: PyTorch's deprecated spellings, still accepted there.
        min_val = min_val if min_value is None else min_value
        max_val = max_val if max_value is None else max_value
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val {min_val} is greater than max_val {max_val}")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, x):
        return F.hardtanh(x, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}" + (
            ", inplace=True" if self.inplace else "")


class LogSigmoid(Module):
    """ln(1 / (1 + e^-x)) = -softplus(-x)."""

    def forward(self, x):
        return F.logsigmoid(x)


class PReLU(Module):
    """x for x > 0, a x otherwise, with ``num_parameters`` learned slopes (1 shared, or one
    per channel), each initialised to ``init`` = 0.25, as PyTorch's ``nn.PReLU(
    num_parameters=1, init=0.25, device=None, dtype=None)``. The slope is ``self.weight``."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        if not isinstance(num_parameters, int) or num_parameters < 1:
            raise ValueError(f"PReLU: num_parameters must be a positive int; got "
                             f"{num_parameters!r}")
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(np.full(num_parameters, init, dtype=dtype))

    def forward(self, x):
        return F.prelu(x, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class GELU(Module):
    """x * Phi(x) (exact erf form; approximate='tanh' for the tanh form)."""

    def __init__(self, approximate: str = "none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"approximate must be 'none' or 'tanh'; got {approximate!r}")
        self.approximate = approximate

    def forward(self, x):
        return F.gelu(x, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Sigmoid(Module):
    """1 / (1 + e^-x)."""

    def __init__(self, *args, **kwargs):  # PyTorch's signature: anything, ignored
        super().__init__()

    def forward(self, x):
        return F.sigmoid(x)


class Tanh(Module):
    """(e^x - e^-x) / (e^x + e^-x)."""

    def __init__(self, *args, **kwargs):  # PyTorch's signature: anything, ignored
        super().__init__()

    def forward(self, x):
        return F.tanh(x)


class Softplus(Module):
    """ln(1 + e^(beta x)) / beta (x itself past the threshold)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x):
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class Softmax(Module):
    """exp(x) / sum(exp(x)) along ``dim``."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.softmax(x, self._dim(x))

    def _dim(self, x):
        # PyTorch's implicit choice when dim is None (deprecated there, with a warning).
        if self.dim is not None:
            return self.dim
        warnings.warn(f"Implicit dimension choice for {type(self).__name__.lower()} has been "
                      "deprecated. Change the call to include dim=X as an argument.",
                      stacklevel=3)
        return 0 if x.ndim in (0, 1, 3) else 1

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax2d(Module):
    """Softmax over the channels at each location: dimension -3 of a (N, C, H, W) or
    (C, H, W) input, as PyTorch's ``nn.Softmax2d()``."""

    def forward(self, x):
        if x.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected a 3-D or 4-D input; got shape {x.shape}")
        return F.softmax(x, -3)


class LogSoftmax(Softmax):
    """x - logsumexp(x) along ``dim``."""

    def forward(self, x):
        return F.log_softmax(x, self._dim(x))


class SiLU(Module):
    """x * sigmoid(x). ``inplace=True`` changes the input itself (recorded in the graph)."""

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.silu(input, self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Mish(SiLU):
    """x * tanh(softplus(x)). ``inplace=True`` changes the input itself."""

    def forward(self, input):
        return F.mish(input, self.inplace)
