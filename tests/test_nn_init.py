"""Initialisers: PyTorch's bounds and standard deviations, drawn from the framework seed."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad.nn import init


@pytest.mark.parametrize("name,param,expected", [
    ("linear", None, 1.0), ("sigmoid", None, 1.0), ("conv2d", None, 1.0),
    ("tanh", None, 5 / 3), ("relu", None, math.sqrt(2)),
    ("leaky_relu", None, math.sqrt(2 / (1 + 0.01 ** 2))), ("leaky_relu", 0.2, math.sqrt(2 / 1.04)),
    ("selu", None, 0.75),
])
def test_calculate_gain(name, param, expected):
    assert init.calculate_gain(name, param) == pytest.approx(expected)


def test_unknown_nonlinearity():
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


def test_uniform_initialisers_respect_their_bounds():
    w = mg.zeros(200, 300)
    init.xavier_uniform_(w, gain=2.0)
    bound = 2.0 * math.sqrt(6 / 500)
    assert np.abs(w.array).max() <= bound and np.abs(w.array).max() > 0.95 * bound
    init.kaiming_uniform_(w, a=0.1, mode="fan_out", nonlinearity="leaky_relu")
    bound = math.sqrt(2 / 1.01) * math.sqrt(3 / 200)
    assert np.abs(w.array).max() <= bound and np.abs(w.array).max() > 0.95 * bound


def test_normal_initialisers_have_the_right_std():
    w = mg.zeros(400, 500)
    init.xavier_normal_(w)
    assert w.array.std() == pytest.approx(math.sqrt(2 / 900), rel=0.02)
    init.kaiming_normal_(w, nonlinearity="relu")
    assert w.array.std() == pytest.approx(math.sqrt(2) / math.sqrt(500), rel=0.02)
    init.normal_(w, 3.0, 0.5)
    assert w.array.mean() == pytest.approx(3.0, abs=0.01)


def test_constant_initialisers_and_conv_fans():
    w = mg.zeros(4, 3, 5, 5)
    init.ones_(w)
    assert np.all(w.array == 1)
    init.constant_(w, 0.5)
    assert np.all(w.array == 0.5)
    init.zeros_(w)
    assert np.all(w.array == 0)
    assert init._calculate_fan_in_and_fan_out(w) == (75, 100)
    with pytest.raises(ValueError, match=r"at least 2 dimensions; got shape \(3,\)"):
        init.xavier_uniform_(mg.zeros(3))


def test_initialisers_use_the_framework_seed():
    mg.manual_seed(9)
    a = init.kaiming_normal_(mg.zeros(3, 3)).array.copy()
    mg.manual_seed(9)
    np.testing.assert_array_equal(init.kaiming_normal_(mg.zeros(3, 3)).array, a)
