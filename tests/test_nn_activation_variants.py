"""The less common activations against their published formulas, in float64, with
gradchecks away from the kinks."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(17)
ALPHA, SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def relu6(x):
    return np.minimum(np.maximum(x, 0), 6)


def softmax(x, dim):
    e = np.exp(x - x.max(dim, keepdims=True))
    return e / e.sum(dim, keepdims=True)


@pytest.mark.parametrize("layer,reference", [
    (nn.ReLU6(), relu6),
    (nn.Hardsigmoid(), lambda x: relu6(x + 3) / 6),
    (nn.Hardswish(), lambda x: x * relu6(x + 3) / 6),
    (nn.SELU(), lambda x: SCALE * np.where(x > 0, x, ALPHA * (np.exp(x) - 1))),
    (nn.CELU(0.7), lambda x: np.maximum(0, x) + np.minimum(0, 0.7 * (np.exp(x / 0.7) - 1))),
    (nn.Threshold(0.2, -1.0), lambda x: np.where(x > 0.2, x, -1.0)),
    (nn.Hardshrink(0.6), lambda x: np.where(np.abs(x) > 0.6, x, 0.0)),
    (nn.Softshrink(0.6), lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.6, 0)),
    (nn.Tanhshrink(), lambda x: x - np.tanh(x)),
    (nn.Softsign(), lambda x: x / (1 + np.abs(x))),
    (nn.Softmin(1), lambda x: softmax(-x, 1)),
    (nn.GLU(), lambda x: x[:, :3] / (1 + np.exp(-x[:, 3:]))),
    (nn.GLU(0), lambda x: x[:2] / (1 + np.exp(-x[2:]))),
])
def test_activation_matches_its_formula_and_gradchecks(layer, reference):
    x = rng.standard_normal((4, 6)) * 4
    np.testing.assert_allclose(layer(leaf(x)).array, reference(x), rtol=1e-12, atol=1e-14)
    # Away from the kinks (at -3, 0, 3, 6, +-0.6, 0.2), where a derivative is one-sided.
    smooth = rng.uniform(0.7, 2.5, (4, 6)) * rng.choice([-1, 1], (4, 6))
    assert mg.gradcheck(layer, [leaf(smooth)])


def test_selu_keeps_standard_normal_inputs_near_zero_mean_unit_variance():
    out = F.selu(mg.tensor(rng.standard_normal(200000))).numpy()
    assert abs(out.mean()) < 0.01 and abs(out.var() - 1) < 0.02  # self-normalising


def test_softmin_implicit_dim_and_errors():
    x = rng.standard_normal((2, 3))
    np.testing.assert_allclose(F.softmin(leaf(x)).array, softmax(-x, 1), rtol=1e-12)
    with pytest.raises(ValueError, match=r"even dimension; dimension -1 of shape \(2, 3\)"):
        F.glu(leaf(x))
    with pytest.raises(ValueError, match="lambd must be non-negative; got -1"):
        F.softshrink(leaf(x), -1)
