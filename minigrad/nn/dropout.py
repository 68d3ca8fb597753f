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
