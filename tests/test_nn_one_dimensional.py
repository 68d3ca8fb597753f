"""Conv1d and the 1-D pools against their sums, written out here in float64."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(21)
X = rng.standard_normal((2, 4, 11))


def conv1d_reference(x, w, b, stride=1, padding=0, dilation=1, groups=1):
    """out[n, o, i] = b[o] + sum_{c, u} w[o, c, u] x_pad[n, group(o) C/G + c, i s + u d]."""
    x = np.pad(x, [(0, 0), (0, 0), (padding, padding)])
    out_channels, per_group, k = w.shape
    length = (x.shape[2] - dilation * (k - 1) - 1) // stride + 1
    out = np.zeros((x.shape[0], out_channels, length))
    for o in range(out_channels):
        g = o // (out_channels // groups)
        for i in range(length):
            for c in range(per_group):
                for u in range(k):
                    out[:, o, i] += w[o, c, u] * x[:, g * per_group + c, i * stride + u * dilation]
        out[:, o] += 0 if b is None else b[o]
    return out


@pytest.mark.parametrize("stride,padding,dilation,groups", [(1, 0, 1, 1), (2, 1, 1, 1),
                                                            (1, 2, 2, 1), (1, 1, 1, 2)])
def test_conv1d_matches_the_sum_and_gradchecks(stride, padding, dilation, groups):
    w = rng.standard_normal((6, 4 // groups, 3))
    b = rng.standard_normal(6)
    out = F.conv1d(leaf(X), leaf(w), leaf(b), stride, padding, dilation, groups)
    np.testing.assert_allclose(out.array, conv1d_reference(X, w, b, stride, padding, dilation,
                                                           groups), rtol=1e-12, atol=1e-12)
    assert mg.gradcheck(lambda x, w, b: F.conv1d(x, w, b, stride, padding, dilation, groups),
                        [leaf(X[:1]), leaf(w), leaf(b)])


def test_conv1d_layer_init_padding_modes_and_unbatched_input():
    layer = nn.Conv1d(4, 6, 3)
    bound = 1 / math.sqrt(4 * 3)
    assert layer.weight.shape == (6, 4, 3) and np.abs(layer.weight.array).max() <= bound
    assert layer(mg.tensor(X[0], dtype=mg.float32)).shape == (6, 9)  # (C, L) -> (C, L')
    same = nn.Conv1d(4, 6, 4, padding="same", padding_mode="reflect", dtype=mg.float64)
    padded = np.pad(X, [(0, 0), (0, 0), (1, 2)], "reflect")  # total 3: one before, two after
    np.testing.assert_allclose(same(leaf(X)).array,
                               conv1d_reference(padded, same.weight.array, same.bias.array),
                               rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="padding_mode must be 'zeros', 'reflect'"):
        nn.Conv1d(4, 6, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match=r"2-D \(C, L\) or 3-D \(N, C, L\) input"):
        layer(mg.ones(1, 4, 2, 5))


@pytest.mark.parametrize("kernel,stride,padding", [(3, None, 0), (3, 2, 1), (4, 1, 0)])
def test_pools_match_their_windows(kernel, stride, padding):
    step = kernel if stride is None else stride
    for pool, reduce, fill in ((nn.MaxPool1d, np.max, -np.inf), (nn.AvgPool1d, np.mean, 0.0)):
        padded = np.pad(X, [(0, 0), (0, 0), (padding, padding)], constant_values=fill)
        length = (padded.shape[2] - kernel) // step + 1
        expected = np.stack([reduce(padded[:, :, i * step:i * step + kernel], axis=2)
                             for i in range(length)], axis=2)
        layer = pool(kernel, stride, padding)
        np.testing.assert_allclose(layer(leaf(X)).array, expected, rtol=1e-12)
        assert mg.gradcheck(layer, [leaf(X[:1, :2])])
    with pytest.raises(ValueError, match="ceil_mode=True is not supported by minigrad"):
        nn.MaxPool1d(2, ceil_mode=True)(leaf(X))
