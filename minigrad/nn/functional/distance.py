"""Lengths and angles of vectors along a dimension: ``normalize``, ``cosine_similarity``
and ``pairwise_distance``, compositions of primitives with PyTorch's eps conventions."""
import numpy as np

from ...linalg import vector_norm
from ...tensor import Tensor


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out=None) -> Tensor:
    """v / max(||v||_p, eps) along ``dim`` (PyTorch's defaults: the 2-norm over dimension 1);
    eps keeps an all-zero vector at zero instead of dividing by zero."""
    if out is not None:
        raise ValueError("normalize: out= is not supported by minigrad (use the return value)")
    return input / vector_norm(input, p, dim, keepdim=True).clamp(min=eps)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """x1 . x2 / (max(||x1||, eps) max(||x2||, eps)) along ``dim``, after broadcasting x1 and
    x2: each norm is bounded below by eps on its own, as in PyTorch 2."""
    try:
        shape = np.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise ValueError(f"cosine_similarity: shapes {x1.shape} and {x2.shape} do not "
                         "broadcast") from None
    x1, x2 = x1.broadcast_to(shape), x2.broadcast_to(shape)
    unit1 = x1 / vector_norm(x1, 2, dim, keepdim=True).clamp(min=eps)
    unit2 = x2 / vector_norm(x2, 2, dim, keepdim=True).clamp(min=eps)
    return (unit1 * unit2).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dimension (eps added to the difference, as PyTorch
    does, so identical vectors have a differentiable distance)."""
    return vector_norm(x1 - x2 + eps, p, -1, keepdim)

