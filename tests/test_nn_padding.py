"""F.pad's four modes and the padding layers against NumPy's np.pad, with gradchecks."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(13)
X = rng.standard_normal((2, 3, 4, 5))
NUMPY_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("pad", [(1, 2), (2, 1, 3, 0), (0, 3, 1, 1)])
def test_pad_modes_match_numpy(mode, pad):
    widths = [(0, 0)] * X.ndim
    for k in range(len(pad) // 2):
        widths[X.ndim - 1 - k] = (pad[2 * k], pad[2 * k + 1])
    np.testing.assert_array_equal(F.pad(leaf(X), pad, mode).array,
                                  np.pad(X, widths, NUMPY_MODE[mode]))
    assert mg.gradcheck(lambda t: F.pad(t, pad, mode), [leaf(X[:1, :1])])


def test_constant_pad_takes_mode_then_value_by_position():
    out = F.pad(leaf(X), (1, 1), "constant", 2.5)
    np.testing.assert_array_equal(out.array, np.pad(X, [(0, 0)] * 3 + [(1, 1)],
                                                    constant_values=2.5))


@pytest.mark.parametrize("layer,widths,mode,value", [
    (nn.ZeroPad2d(2), [(2, 2), (2, 2)], "constant", 0.0),
    (nn.ZeroPad2d((1, 0, 2, 3)), [(2, 3), (1, 0)], "constant", 0.0),
    (nn.ConstantPad2d((1, 2, 0, 1), 3.5), [(0, 1), (1, 2)], "constant", 3.5),
    (nn.ReflectionPad2d((1, 2, 3, 0)), [(3, 0), (1, 2)], "reflect", None),
    (nn.ReplicationPad2d(2), [(2, 2), (2, 2)], "edge", None),
    (nn.ZeroPad1d((0, 2)), [(0, 0), (0, 2)], "constant", 0.0),
    (nn.ConstantPad1d(1, -1.0), [(0, 0), (1, 1)], "constant", -1.0),
    (nn.ReflectionPad1d(3), [(0, 0), (3, 3)], "reflect", None),
    (nn.ReplicationPad1d((2, 0)), [(0, 0), (2, 0)], "edge", None),
])
def test_padding_layers(layer, widths, mode, value):
    extra = {"constant_values": value} if mode == "constant" else {}
    np.testing.assert_array_equal(layer(leaf(X)).array,
                                  np.pad(X, [(0, 0), (0, 0)] + widths, mode, **extra))


@pytest.mark.parametrize("call,message", [
    (lambda: F.pad(leaf(X), (1, 1), "wrap"), "mode must be 'constant', 'reflect'"),
    (lambda: F.pad(leaf(X), (5, 0), "reflect"), r"reflect padding \(5, 0\) must be smaller"),
    (lambda: F.pad(leaf(X), (1, 1), "replicate", 3.0), "value applies only to mode='constant'"),
    (lambda: F.pad(leaf(X), (1,), "circular"), r"\(before, after\) pairs"),
    (lambda: nn.ZeroPad2d((1, 2, 3)), "padding must be an int or 4 numbers"),
])
def test_bad_padding_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
