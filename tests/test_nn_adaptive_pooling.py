"""Adaptive pooling against PyTorch's window formula (start = floor(i L / n), end =
ceil((i + 1) L / n)) evaluated here window by window in float64, with gradchecks."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(2024)


def adaptive_reference(x, out_h, out_w, reduce):
    height, width = x.shape[-2:]
    out = np.empty(x.shape[:-2] + (out_h, out_w))
    for i in range(out_h):
        h0, h1 = math.floor(i * height / out_h), math.ceil((i + 1) * height / out_h)
        for j in range(out_w):
            w0, w1 = math.floor(j * width / out_w), math.ceil((j + 1) * width / out_w)
            out[..., i, j] = reduce(x[..., h0:h1, w0:w1], axis=(-2, -1))
    return out


SIZES = [((7, 5), (3, 2)),    # neither divides: overlapping windows
         ((8, 6), (4, 3)),    # both divide: the reshape path
         ((6, 6), 1),         # global pooling, an int size
         ((5, 7), (5, 7)),    # identity
         ((5, 7), (None, 3)),  # None keeps the input size
         ((3, 4), (6, 9))]    # more cells than pixels: windows repeat pixels


@pytest.mark.parametrize("spatial,output_size", SIZES)
@pytest.mark.parametrize("kind", ["avg", "max"])
def test_adaptive_pooling_matches_the_window_formula(spatial, output_size, kind):
    x = rng.standard_normal((2, 3) + spatial)
    sizes = (output_size, output_size) if isinstance(output_size, int) else output_size
    out_h, out_w = (spatial[k] if s is None else s for k, s in enumerate(sizes))
    layer = nn.AdaptiveAvgPool2d(output_size) if kind == "avg" else nn.AdaptiveMaxPool2d(
        output_size)
    reference = adaptive_reference(x, out_h, out_w, np.mean if kind == "avg" else np.max)
    np.testing.assert_allclose(layer(leaf(x)).array, reference, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(layer(leaf(x[0])).array, reference[0], rtol=1e-12, atol=1e-15)
    assert mg.gradcheck(layer, [leaf(x[:1, :2])])


def test_adaptive_max_pool_indices_and_first_maximum_gets_the_gradient():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 2, 1] = 5.0
    out, indices = F.adaptive_max_pool2d(leaf(x), 1, return_indices=True)
    assert out.item() == 5.0 and indices.tolist() == [[[[7]]]]  # 2 * 3 + 1
    ties = leaf(np.ones((1, 1, 2, 2)))
    F.adaptive_max_pool2d(ties, 1).sum().backward()
    assert ties.grad.array.ravel().tolist() == [1.0, 0.0, 0.0, 0.0]


def test_a_global_average_pool_head_accepts_any_image_size():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
                          nn.Linear(4, 2))
    for size in (8, 13):
        assert model(mg.randn(2, 1, size, size)).shape == (2, 2)


@pytest.mark.parametrize("call,message", [
    (lambda: F.adaptive_avg_pool2d(mg.ones(2, 3), 1), r"3-D \(C, H, W\) or 4-D .* got shape \(2, 3\)"),
    (lambda: F.adaptive_max_pool2d(mg.ones(1, 2, 3), (1, 2, 3)), "must be an int or a pair"),
    (lambda: F.adaptive_avg_pool2d(mg.ones(1, 2, 3), 0), "output_size must be positive; got 0"),
    (lambda: F.adaptive_avg_pool2d(mg.ones(1, 0, 3), 1), "empty spatial dimension"),
])
def test_bad_inputs_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
