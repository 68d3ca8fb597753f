"""Dropout (Srivastava et al., 2014), inverted so that eval mode is the identity."""
from . import functional as F
from .module import Module


class Dropout(Module):
    """Training: zero each element with probability p, scale survivors by 1/(1-p).
    Eval: identity. Masks come from the framework's seeded generator."""

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        self.inplace = inplace  # True: the input itself is changed, as in PyTorch
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Dropout):
    """Training: zero each whole channel of a (N, C, H, W) input with probability p, scale
    the kept channels by 1/(1-p) (PyTorch's ``nn.Dropout2d(p=0.5, inplace=False)``). Eval:
    identity."""

    def forward(self, x):
        return F.dropout2d(x, self.p, self.training, self.inplace)


class Dropout1d(Dropout):
    """Training: zero each whole channel of a (N, C, L) input with probability p, scale the
    kept ones by 1/(1-p) (PyTorch's ``nn.Dropout1d(p=0.5, inplace=False)``). Eval: identity."""

    def forward(self, x):
        return F.dropout1d(x, self.p, self.training, self.inplace)
