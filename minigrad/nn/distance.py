"""Similarity and distance layers: thin modules over ``nn.functional``'s distance functions."""
from . import functional as F
from .module import Module


class CosineSimilarity(Module):
    """x1 . x2 / (max(||x1||, eps) max(||x2||, eps)) along ``dim``; PyTorch's
    ``nn.CosineSimilarity(dim=1, eps=1e-08)``."""

    def __init__(self, dim: int = 1, eps: float = 1e-8):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """||x1 - x2 + eps||_p over the last dimension; PyTorch's ``nn.PairwiseDistance(p=2.0,
    eps=1e-06, keepdim=False)``."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
