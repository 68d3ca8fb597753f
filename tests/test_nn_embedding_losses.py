"""Ranking and metric-learning losses against their formulas in float64, with gradchecks."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(8)
A, B, C = rng.standard_normal((3, 5, 4))
Y = np.array([1.0, -1.0, 1.0, -1.0, 1.0])


def reduce(losses, reduction):
    return {"none": losses, "sum": losses.sum(), "mean": losses.mean()}[reduction]


def distance(u, v, p=2.0, eps=1e-6):
    return (np.abs(u - v + eps) ** p).sum(-1) ** (1 / p)


def cosine(u, v):
    return (u * v).sum(-1) / np.sqrt(((u * u).sum(-1) + 1e-12) * ((v * v).sum(-1) + 1e-12))


CASES = [
    (nn.MarginRankingLoss(0.3), (A[:, 0], B[:, 0], Y),
     lambda r: reduce(np.maximum(0, -Y * (A[:, 0] - B[:, 0]) + 0.3), r)),
    (nn.HingeEmbeddingLoss(0.8), (np.abs(A[:, 0]), Y),
     lambda r: reduce(np.where(Y == 1, np.abs(A[:, 0]), np.maximum(0, 0.8 - np.abs(A[:, 0]))), r)),
    (nn.CosineEmbeddingLoss(0.1), (A, B, Y),
     lambda r: reduce(np.where(Y == 1, 1 - cosine(A, B), np.maximum(0, cosine(A, B) - 0.1)), r)),
    (nn.TripletMarginLoss(0.5), (A, B, C),
     lambda r: reduce(np.maximum(distance(A, B) - distance(A, C) + 0.5, 0), r)),
    (nn.TripletMarginLoss(2.0, p=1.0, swap=True), (A, B, C),
     lambda r: reduce(np.maximum(distance(A, B, 1) - np.minimum(distance(A, C, 1),
                                                                 distance(B, C, 1)) + 2.0, 0), r)),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("loss,inputs,reference", CASES)
def test_loss_matches_its_formula_and_gradchecks(loss, inputs, reference, reduction):
    loss.reduction = reduction
    tensors = [leaf(v) if v is not Y else mg.tensor(v) for v in inputs]
    np.testing.assert_allclose(loss(*tensors).array, reference(reduction), rtol=1e-12)
    differentiable = [i for i, v in enumerate(inputs) if v is not Y]

    def as_function(*args):
        full = list(tensors)
        for i, arg in zip(differentiable, args):
            full[i] = arg
        return loss(*full)
    assert mg.gradcheck(as_function, [leaf(inputs[i]) for i in differentiable])


def test_legacy_flags_targets_and_margins_are_checked():
    assert nn.MarginRankingLoss(size_average=False).reduction == "sum"
    assert nn.CosineEmbeddingLoss(reduce=False).reduction == "none"
    with pytest.raises(ValueError, match=r"target must hold 1 or -1; got \[0"):
        F.cosine_embedding_loss(leaf(A), leaf(B), mg.zeros(5))
    with pytest.raises(ValueError, match="margin must be greater than 0; got 0"):
        nn.TripletMarginLoss(margin=0)
    with pytest.raises(ValueError, match="'mean', 'sum' or 'none'; got 'avg'"):
        nn.HingeEmbeddingLoss(reduction="avg")
