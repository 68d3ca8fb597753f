"""Losses on pairs and triplets of inputs (metric learning, ranking), with PyTorch's
formulas, defaults and legacy ``size_average`` / ``reduce`` flags."""
import numpy as np

from ...functional import where
from ...tensor import Tensor
from .distance import pairwise_distance
from .loss import _check_reduction, _reduce, legacy_reduction

COSINE_EPS = 1e-12  # added to each squared norm, as PyTorch's cosine_embedding_loss does


def _tensor(value, like: Tensor) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(np.asarray(value, dtype=like.dtype))


def _signs(target, name) -> np.ndarray:
    values = target.array if isinstance(target, Tensor) else np.asarray(target)
    if not np.isin(values, (-1, 1)).all():
        raise ValueError(f"{name}: target must hold 1 or -1; got {np.unique(values)[:5]}")
    return values


def margin_ranking_loss(input1: Tensor, input2: Tensor, target, margin: float = 0.0,
                        size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin), y = 1 if x1 should rank higher, -1 if x2 should."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    y = _tensor(target, input1)
    return _reduce((-(y * (input1 - input2)) + margin).relu(), reduction)


def hinge_embedding_loss(input: Tensor, target, margin: float = 1.0, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1 (x typically a distance)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    similar = _signs(target, "hinge_embedding_loss") == 1
    return _reduce(where(similar, input, (margin - input).relu()), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target, margin: float = 0.0,
                          size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1, with
    cos = x1 . x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)) over the last dimension."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    similar = _signs(target, "cosine_embedding_loss") == 1
    dot = (input1 * input2).sum(-1)
    norms = (((input1 * input1).sum(-1) + COSINE_EPS)
             * ((input2 * input2).sum(-1) + COSINE_EPS)).sqrt()
    cosine = dot / norms
    return _reduce(where(similar, 1.0 - cosine, (cosine - margin).relu()), reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor,
                        margin: float = 1.0, p: float = 2, eps: float = 1e-6,
                        swap: bool = False, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:
    """max(d(a, p) - d(a, n) + margin, 0) with d the pairwise p-norm distance (Schroff et
    al., 2015); ``swap`` uses min(d(a, n), d(p, n)) as the negative distance (Balntas et
    al., 2016)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if margin <= 0:
        raise ValueError(f"triplet_margin_loss: margin must be greater than 0; got {margin}")
    to_positive = pairwise_distance(anchor, positive, p, eps)
    to_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        to_negative = to_negative.minimum(pairwise_distance(positive, negative, p, eps))
    return _reduce((to_positive - to_negative + margin).relu(), reduction)
