"""Losses: PyTorch's formulas computed here in float64, gradchecks, extremes, errors."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(11)
LOGITS = rng.standard_normal((6, 5))
TARGET = np.array([0, 3, 1, -100, 4, 3])
WEIGHT = np.array([1.0, 2.0, 0.5, 3.0, 1.5])


def log_softmax(z):
    shifted = z - z.max(1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(1, keepdims=True))


def cross_entropy_reference(z, t, w, smoothing, reduction):
    logp, classes = log_softmax(z), z.shape[1]
    valid = t != -100
    losses = np.zeros(len(t))
    for i in np.nonzero(valid)[0]:
        nll = -w[t[i]] * logp[i, t[i]]
        smooth = -(w * logp[i]).sum() / classes
        losses[i] = (1 - smoothing) * nll + smoothing * smooth
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.sum() / w[t[valid]].sum()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_matches_formula_and_gradchecks(reduction, smoothing, weighted):
    w = WEIGHT if weighted else np.ones(5)
    loss_fn = nn.CrossEntropyLoss(weight=mg.Tensor(WEIGHT) if weighted else None,
                                  reduction=reduction, label_smoothing=smoothing)
    out = loss_fn(leaf(LOGITS), mg.tensor(TARGET))
    np.testing.assert_allclose(out.array, cross_entropy_reference(LOGITS, TARGET, w, smoothing,
                                                                 reduction), rtol=1e-12)
    fn = lambda z: loss_fn(z, mg.tensor(TARGET))  # noqa: E731
    assert mg.gradcheck(fn, [leaf(LOGITS)])
    assert mg.gradgradcheck(fn, [leaf(LOGITS)])


def probability_cross_entropy_reference(z, q, w, smoothing, reduction):
    # PyTorch's formula for class probabilities: l_i = -sum_c w_c q'_ic log p_ic with
    # q' = (1 - s) q + s / C; 'mean' divides by the number of rows.
    q = (1 - smoothing) * q + smoothing / z.shape[1]
    losses = -(w * q * log_softmax(z)).sum(1)
    return {"none": losses, "sum": losses.sum(), "mean": losses.mean()}[reduction]


def sequence_rows(z):
    """(N, C, T) logits as the (N * T, C) rows PyTorch's formula runs over."""
    return np.moveaxis(z, 1, -1).reshape(-1, z.shape[1])


SEQUENCE_LOGITS = rng.standard_normal((2, 5, 3))
SEQUENCE_TARGET = np.array([[0, 3, -100], [4, 4, 1]])
PROBABILITIES = rng.dirichlet(np.ones(5), size=6)

# (name, logits, target, options, reference value)
CROSS_ENTROPY_CASES = [
    ("sequence_mean_ignore", SEQUENCE_LOGITS, mg.tensor(SEQUENCE_TARGET), {},
     cross_entropy_reference(sequence_rows(SEQUENCE_LOGITS), SEQUENCE_TARGET.reshape(-1),
                             np.ones(5), 0.0, "mean")),
    ("sequence_none_shape", SEQUENCE_LOGITS, mg.tensor(SEQUENCE_TARGET),
     {"reduction": "none", "label_smoothing": 0.1, "weight": mg.tensor(WEIGHT)},
     cross_entropy_reference(sequence_rows(SEQUENCE_LOGITS), SEQUENCE_TARGET.reshape(-1),
                             WEIGHT, 0.1, "none").reshape(2, 3)),
    ("reshaped_rows_equal_sequence", sequence_rows(SEQUENCE_LOGITS),
     mg.tensor(SEQUENCE_TARGET.reshape(-1)), {"label_smoothing": 0.2},
     cross_entropy_reference(sequence_rows(SEQUENCE_LOGITS), SEQUENCE_TARGET.reshape(-1),
                             np.ones(5), 0.2, "mean")),
    ("unbatched", LOGITS[0], mg.tensor(3), {},
     cross_entropy_reference(LOGITS[:1], np.array([3]), np.ones(5), 0.0, "none")[0]),
    ("probabilities_mean", LOGITS, mg.tensor(PROBABILITIES), {},
     probability_cross_entropy_reference(LOGITS, PROBABILITIES, np.ones(5), 0.0, "mean")),
    ("probabilities_smoothing_weight_sum", LOGITS, mg.tensor(PROBABILITIES),
     {"label_smoothing": 0.3, "weight": mg.tensor(WEIGHT), "reduction": "sum"},
     probability_cross_entropy_reference(LOGITS, PROBABILITIES, WEIGHT, 0.3, "sum")),
    ("probabilities_sequence_none", np.moveaxis(LOGITS.reshape(2, 3, 5), 2, 1),
     mg.tensor(np.moveaxis(PROBABILITIES.reshape(2, 3, 5), 2, 1)), {"reduction": "none"},
     probability_cross_entropy_reference(LOGITS, PROBABILITIES, np.ones(5), 0.0,
                                         "none").reshape(2, 3)),
]


@pytest.mark.parametrize("name,logits,target,options,expected", CROSS_ENTROPY_CASES,
                         ids=[c[0] for c in CROSS_ENTROPY_CASES])
def test_cross_entropy_shapes_and_targets_match_formula(name, logits, target, options,
                                                        expected):
    fn = lambda z: F.cross_entropy(z, target, **options)  # noqa: E731
    out = fn(leaf(logits))
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.array, expected, rtol=1e-12)
    assert mg.gradcheck(fn, [leaf(logits)])
    assert mg.gradgradcheck(fn, [leaf(logits)])


def test_cross_entropy_probability_targets_that_require_grad_get_a_gradient():
    q = leaf(PROBABILITIES)
    F.cross_entropy(leaf(LOGITS), q, label_smoothing=0.1).backward()
    # d loss / d q_ic = -(1 - s) log p_ic / N
    np.testing.assert_allclose(q.grad.array, -0.9 * log_softmax(LOGITS) / 6, rtol=1e-12)
    assert mg.gradcheck(lambda z, p: F.cross_entropy(z, p), [leaf(LOGITS), leaf(PROBABILITIES)])


def test_cross_entropy_sequence_target_shape_is_checked():
    with pytest.raises(ValueError, match=r"target of shape \(2, 3\) .* got target shape \(2, 5\)"):
        F.cross_entropy(mg.randn(2, 4, 3), mg.zeros(2, 5, dtype=mg.int64))
    with pytest.raises(ValueError, match="0-d tensor"):
        F.cross_entropy(mg.tensor(1.0), mg.tensor(0))


def test_cross_entropy_extremes():
    equal = F.cross_entropy(mg.tensor([[1e8, 1e8]]), mg.tensor([0]))
    assert equal.item() == pytest.approx(math.log(2), rel=1e-6)
    far = F.cross_entropy(mg.tensor([[0.0, -200.0]]), mg.tensor([1]))
    assert far.item() == pytest.approx(200.0)
    huge = leaf([[1e30, -1e30, 0.0]])
    loss = F.cross_entropy(huge, mg.tensor([1]))
    loss.backward()
    assert loss.item() == pytest.approx(2e30) and np.all(np.isfinite(huge.grad.array))


def test_cross_entropy_in_float32_stays_float32():
    loss = F.cross_entropy(mg.randn(4, 3, requires_grad=True), mg.tensor([0, 1, 2, 0]))
    assert loss.dtype == np.float32


@pytest.mark.parametrize("target,error,message", [
    ([0, 5], IndexError, r"target 5 at position 1 is out of bounds for 3 classes"),
    ([-1, 0], IndexError, r"target -1 at position 0 is out of bounds"),
    (np.array([0.0, 1.0]), TypeError, r"class indices .* got dtype float64"),
    ([0, 1, 2], ValueError, r"target of shape \(2,\) .* got target shape \(3,\)"),
])
def test_cross_entropy_bad_targets(target, error, message):
    with pytest.raises(error, match=message):
        F.cross_entropy(mg.randn(2, 3), mg.Tensor(np.asarray(target)))


def test_cross_entropy_all_ignored_is_nan_like_pytorch():
    with np.errstate(invalid="ignore"):
        assert np.isnan(F.cross_entropy(mg.randn(2, 3), mg.tensor([-100, -100])).item())


def test_nll_loss_matches_cross_entropy_on_log_softmax():
    z = leaf(LOGITS)
    nll = F.nll_loss(z.log_softmax(1), mg.tensor(TARGET), weight=mg.Tensor(WEIGHT))
    expected = cross_entropy_reference(LOGITS, TARGET, WEIGHT, 0.0, "mean")
    assert nll.item() == pytest.approx(expected, rel=1e-12)
    assert mg.gradcheck(lambda t: F.nll_loss(t, mg.tensor(TARGET), reduction="sum"), [z])


def test_regression_losses():
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    assert nn.MSELoss()(leaf(x), leaf(y)).item() == pytest.approx(((x - y) ** 2).mean())
    assert nn.L1Loss(reduction="sum")(leaf(x), leaf(y)).item() == pytest.approx(np.abs(x - y).sum())
    assert mg.gradcheck(lambda a, b: F.mse_loss(a, b, reduction="none"), [leaf(x), leaf(y)])
    assert mg.gradcheck(lambda a, b: F.l1_loss(a, b), [leaf(x), leaf(y)])
    with pytest.raises(ValueError, match=r"input shape \(3, 4\) and target shape \(4,\) differ"):
        F.mse_loss(leaf(x), leaf(y[0]))


def test_bce_and_bce_with_logits():
    logits, y = rng.standard_normal((4, 3)) * 3, rng.uniform(0, 1, (4, 3))
    p = 1 / (1 + np.exp(-logits))
    expected = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert nn.BCELoss()(leaf(p), leaf(y)).item() == pytest.approx(expected.mean(), rel=1e-12)
    assert nn.BCEWithLogitsLoss()(leaf(logits), leaf(y)).item() == pytest.approx(expected.mean(),
                                                                                rel=1e-12)
    pos_weight = np.array([1.0, 2.0, 3.0])
    weighted = -(pos_weight * y * np.log(p) + (1 - y) * np.log(1 - p))
    out = F.binary_cross_entropy_with_logits(leaf(logits), leaf(y), pos_weight=mg.Tensor(pos_weight),
                                             reduction="sum")
    assert out.item() == pytest.approx(weighted.sum(), rel=1e-12)
    assert mg.gradcheck(lambda a, b: F.binary_cross_entropy(a, b), [leaf(p), leaf(y)])
    assert mg.gradcheck(lambda a: F.binary_cross_entropy_with_logits(a, mg.Tensor(y)), [leaf(logits)])
    assert mg.gradgradcheck(lambda a: F.binary_cross_entropy_with_logits(a, mg.Tensor(y)), [leaf(logits)])


def test_bce_extremes_are_finite_like_pytorch():
    p, y = leaf([0.0, 1.0]), mg.tensor([1.0, 0.0], dtype=np.float64)
    loss = F.binary_cross_entropy(p, y, reduction="none")
    np.testing.assert_array_equal(loss.array, [100.0, 100.0])  # log clamped at -100
    loss.sum().backward()
    np.testing.assert_allclose(p.grad.array, [-1e12, 1e12])  # (p - y) / max(p(1-p), 1e-12)
    assert F.binary_cross_entropy_with_logits(leaf([1000.0]), mg.tensor([0.0], dtype=np.float64)).item() \
        == pytest.approx(1000.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.binary_cross_entropy(leaf([1.5]), mg.tensor([1.0], dtype=np.float64))


def test_bad_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction must be"):
        nn.MSELoss(reduction="average")


# ------------------------------------------------------------------ Huber and KL divergence
def reduce_reference(losses, reduction):
    return {"none": losses, "sum": losses.sum(), "mean": losses.mean()}[reduction]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("delta", [0.5, 1.0, 2.5])
def test_huber_loss_matches_formula_and_gradchecks(reduction, delta):
    x, y = rng.standard_normal((4, 5)) * 2, rng.standard_normal((4, 5))
    d = np.abs(x - y)
    expected = np.where(d < delta, 0.5 * d ** 2, delta * (d - 0.5 * delta))  # Huber (1964)
    loss_fn = nn.HuberLoss(reduction=reduction, delta=delta)
    np.testing.assert_allclose(loss_fn(leaf(x), leaf(y)).array,
                               reduce_reference(expected, reduction), rtol=1e-12)
    assert mg.gradcheck(loss_fn, [leaf(x), leaf(y)])
    weight = rng.random((4, 5))
    np.testing.assert_allclose(F.huber_loss(leaf(x), leaf(y), "sum", delta, weight).item(),
                               (weight * expected).sum(), rtol=1e-12)


def test_huber_loss_rejects_a_non_positive_delta():
    with pytest.raises(ValueError, match="delta > 0; got 0"):
        nn.HuberLoss(delta=0)
    with pytest.raises(ValueError, match="delta > 0; got -1"):
        F.huber_loss(leaf([1.0]), leaf([0.0]), delta=-1)


def kl_reference(log_q, target, log_target, reduction):
    p = np.exp(target) if log_target else target
    log_p = target if log_target else np.log(np.where(p > 0, p, 1.0))
    losses = np.where(p > 0, p * (log_p - log_q), 0.0)  # 0 ln 0 = 0
    if reduction == "batchmean":
        return losses.sum() / log_q.shape[0]
    return reduce_reference(losses, reduction)


@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_formula_and_gradchecks(reduction, log_target):
    log_q = log_softmax(rng.standard_normal((3, 4)))
    p = rng.dirichlet(np.ones(4), size=3)
    p[0, 1] = 0.0  # a zero target contributes nothing, and no nan to the gradient
    p[0] /= p[0].sum()
    target = np.log(p + 1e-3) if log_target else p
    loss_fn = nn.KLDivLoss(reduction=reduction, log_target=log_target)
    out = loss_fn(leaf(log_q), leaf(target))
    np.testing.assert_allclose(out.array, kl_reference(log_q, target, log_target, reduction),
                               rtol=1e-12, atol=1e-15)
    assert mg.gradcheck(loss_fn, [leaf(log_q), leaf(target + (0 if log_target else 0.1))])
    assert mg.gradcheck(lambda q: loss_fn(q, leaf(target)), [leaf(log_q)])


def test_kl_div_batchmean_is_the_mean_kl_divergence_per_sample():
    p, q = rng.dirichlet(np.ones(5), size=4), rng.dirichlet(np.ones(5), size=4)
    divergence = (p * np.log(p / q)).sum(1).mean()  # KL(p || q), per sample, averaged
    out = F.kl_div(leaf(np.log(q)), leaf(p), reduction="batchmean")
    assert out.item() == pytest.approx(divergence, rel=1e-12)


def test_kl_div_legacy_flags_and_errors():
    log_q, p = leaf(np.log([[0.5, 0.5]])), leaf([[0.25, 0.75]])
    assert nn.KLDivLoss(reduce=False).reduction == "none"
    assert nn.KLDivLoss(size_average=False).reduction == "sum"
    assert F.kl_div(log_q, p, None, False).shape == (1, 2)
    with pytest.raises(ValueError, match="'batchmean', 'sum' or 'none'; got 'avg'"):
        nn.KLDivLoss(reduction="avg")
    with pytest.raises(ValueError, match="got 'avg'"):
        F.kl_div(log_q, p, reduction="avg")
