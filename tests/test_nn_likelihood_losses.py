"""Gaussian and Poisson negative log-likelihoods against their densities, in float64."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(9)
MEAN, TARGET = rng.standard_normal((2, 6, 3))
VAR = rng.uniform(0.2, 2.0, (6, 3))


def reduce(losses, reduction):
    return {"none": losses, "sum": losses.sum(), "mean": losses.mean()}[reduction]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll_is_the_negative_log_density(reduction, full):
    # -ln N(y; mu, var) = 0.5 ln(2 pi) + 0.5 ln var + (y - mu)^2 / (2 var)
    density = np.exp(-(TARGET - MEAN) ** 2 / (2 * VAR)) / np.sqrt(2 * math.pi * VAR)
    expected = -np.log(density) - (0 if full else 0.5 * math.log(2 * math.pi))
    loss = nn.GaussianNLLLoss(full=full, reduction=reduction)
    np.testing.assert_allclose(loss(leaf(MEAN), leaf(TARGET), leaf(VAR)).array,
                               reduce(expected, reduction), rtol=1e-12)
    assert mg.gradcheck(loss, [leaf(MEAN), leaf(TARGET), leaf(VAR)])


def test_gaussian_nll_broadcasts_one_variance_per_sample_and_clamps_at_eps():
    per_sample = VAR[:, 0]
    expected = 0.5 * (np.log(per_sample[:, None]) + (MEAN - TARGET) ** 2 / per_sample[:, None])
    out = F.gaussian_nll_loss(leaf(MEAN), leaf(TARGET), leaf(per_sample), reduction="none")
    np.testing.assert_allclose(out.array, expected, rtol=1e-12)
    tiny = leaf(np.full((6, 3), 1e-9))
    F.gaussian_nll_loss(leaf(MEAN), leaf(TARGET), tiny, eps=1e-3).backward()
    assert np.all(tiny.grad.array != 0)  # the clamp changes the value, not the gradient
    with pytest.raises(ValueError, match="var has negative entries"):
        F.gaussian_nll_loss(leaf(MEAN), leaf(TARGET), leaf(-VAR))
    with pytest.raises(ValueError, match=r"var of shape \(2,\) does not match input"):
        F.gaussian_nll_loss(leaf(MEAN), leaf(TARGET), leaf([1.0, 2.0]))


COUNTS = rng.poisson(2.5, (6, 3)).astype(float)


@pytest.mark.parametrize("log_input", [True, False])
def test_poisson_nll_is_the_negative_log_likelihood_up_to_ln_factorial(log_input):
    rate = np.exp(MEAN) if log_input else VAR
    loss = nn.PoissonNLLLoss(log_input=log_input, reduction="none")
    out = loss(leaf(MEAN if log_input else VAR), leaf(COUNTS)).array
    # -ln P(k; rate) = rate - k ln rate + ln k!, without the ln k! term unless full=True
    eps = 0 if log_input else 1e-8
    np.testing.assert_allclose(out, rate - COUNTS * np.log(rate + eps), rtol=1e-12)
    full = nn.PoissonNLLLoss(log_input=log_input, full=True, reduction="none")(
        leaf(MEAN if log_input else VAR), leaf(COUNTS)).array
    stirling = np.where(COUNTS > 1, COUNTS * np.log(np.maximum(COUNTS, 1)) - COUNTS
                        + 0.5 * np.log(2 * math.pi * np.maximum(COUNTS, 1)), 0.0)
    np.testing.assert_allclose(full - out, stirling, rtol=1e-12, atol=1e-14)
    assert mg.gradcheck(loss, [leaf(MEAN if log_input else VAR), leaf(COUNTS)])
