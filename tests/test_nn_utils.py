"""Gradient clipping, against the formulas."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad.nn.utils import clip_grad_norm_, clip_grad_value_

rng = np.random.default_rng(5)


def params_with(grads):
    params = [mg.nn.Parameter(np.zeros_like(g)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = mg.Tensor(g.copy())
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
def test_clip_grad_norm(norm_type):
    grads = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    params = params_with(grads)
    flat = np.concatenate([g.ravel() for g in grads])
    total = np.abs(flat).max() if norm_type == float("inf") else (np.abs(flat) ** norm_type).sum() ** (1 / norm_type)
    returned = clip_grad_norm_(params, 0.5, norm_type)
    assert returned.item() == pytest.approx(total)
    scale = min(1.0, 0.5 / (total + 1e-6))
    for p, g in zip(params, grads):
        np.testing.assert_allclose(p.grad.array, g * scale)


def test_clip_grad_norm_leaves_small_gradients_and_skips_missing():
    params = params_with([np.array([0.1, 0.1])]) + [mg.nn.Parameter(np.zeros(2))]
    clip_grad_norm_(params, 10.0)
    np.testing.assert_array_equal(params[0].grad.array, [0.1, 0.1])
    assert params[1].grad is None


def test_clip_grad_norm_nonfinite():
    params = params_with([np.array([np.inf, 1.0])])
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm_(params, 1.0, error_if_nonfinite=True)


def test_clip_grad_value():
    params = params_with([np.array([-3.0, 0.5, 2.0])])
    clip_grad_value_(params, 1.0)
    np.testing.assert_array_equal(params[0].grad.array, [-1.0, 0.5, 1.0])


def test_clip_grad_norm_over_a_models_many_parameters_with_foreach():
    model = mg.nn.Sequential(*[mg.nn.Linear(4, 4) for _ in range(12)], mg.nn.LayerNorm(4))
    grads = {}
    for i, p in enumerate(model.parameters()):
        if i % 5 != 3:  # some parameters have no gradient and are skipped
            grads[id(p)] = rng.standard_normal(p.shape).astype(np.float32)
            p.grad = mg.Tensor(grads[id(p)].copy())
    total = math.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in grads.values()))
    returned = clip_grad_norm_(model.parameters(), 1.0, foreach=True)  # a generator, as usual
    assert returned.item() == pytest.approx(total, rel=1e-6)
    for p in model.parameters():
        if id(p) in grads:
            np.testing.assert_allclose(p.grad.array, grads[id(p)] / (total + 1e-6), rtol=1e-6)
        else:
            assert p.grad is None
    clip_grad_value_(model.parameters(), 0.01, foreach=False)
    assert max(np.abs(p.grad.array).max() for p in model.parameters() if p.grad is not None) <= 0.01
