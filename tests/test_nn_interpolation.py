"""interpolate / Upsample against PyTorch's coordinate formulas, evaluated here point by
point in float64."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(12)
X = rng.standard_normal((2, 3, 5, 7))


def source_linear(d, size_in, size_out, scale, align_corners):
    if align_corners:
        return d * (size_in - 1) / (size_out - 1) if size_out > 1 else 0.0
    return max((d + 0.5) * scale - 0.5, 0.0)


def resize_reference(x, sizes, scales, mode, align_corners=False):
    """Resize the last len(sizes) dimensions one at a time, by the published formula."""
    for k, (size_out, scale) in enumerate(zip(sizes, scales)):
        axis = x.ndim - len(sizes) + k
        size_in = x.shape[axis]
        moved = np.moveaxis(x, axis, -1)
        out = np.empty(moved.shape[:-1] + (size_out,))
        for d in range(size_out):
            if mode == "nearest":
                out[..., d] = moved[..., min(math.floor(d * scale), size_in - 1)]
            elif mode == "nearest-exact":
                out[..., d] = moved[..., min(math.floor((d + 0.5) * scale), size_in - 1)]
            else:
                s = source_linear(d, size_in, size_out, scale, align_corners)
                low = min(math.floor(s), size_in - 1)
                high, t = min(low + 1, size_in - 1), s - low
                out[..., d] = (1 - t) * moved[..., low] + t * moved[..., high]
        x = np.moveaxis(out, -1, axis)
    return x


@pytest.mark.parametrize("kwargs,sizes,scales", [
    (dict(size=(8, 9)), (8, 9), (5 / 8, 7 / 9)),
    (dict(scale_factor=2), (10, 14), (0.5, 0.5)),
    (dict(scale_factor=(1.5, 0.5)), (7, 3), (1 / 1.5, 2.0)),
    (dict(size=(3, 4), mode="nearest-exact"), (3, 4), (5 / 3, 7 / 4)),
    (dict(size=(8, 9), mode="bilinear"), (8, 9), (5 / 8, 7 / 9)),
    (dict(size=(2, 3), mode="bilinear"), (2, 3), (5 / 2, 7 / 3)),
    (dict(scale_factor=2.5, mode="bilinear"), (12, 17), (0.4, 0.4)),
    (dict(scale_factor=0.6, mode="bilinear", recompute_scale_factor=True), (3, 4), (5 / 3, 7 / 4)),
    (dict(size=(8, 9), mode="bilinear", align_corners=True), (8, 9), (None, None)),
])
def test_interpolate_matches_the_coordinate_formulas(kwargs, sizes, scales):
    mode = kwargs.get("mode", "nearest")
    expected = resize_reference(X, sizes, scales, mode, kwargs.get("align_corners", False))
    np.testing.assert_allclose(F.interpolate(leaf(X), **kwargs).array, expected, rtol=1e-12,
                               atol=1e-14)
    assert mg.gradcheck(lambda t: F.interpolate(t, **kwargs), [leaf(X[:1, :1])])


def test_linear_mode_on_sequences_and_the_upsample_modules():
    x = rng.standard_normal((2, 3, 6))
    np.testing.assert_allclose(F.interpolate(leaf(x), size=10, mode="linear").array,
                               resize_reference(x, (10,), (0.6,), "linear"), rtol=1e-12)
    np.testing.assert_allclose(nn.Upsample(scale_factor=2)(leaf(X)).array,
                               X.repeat(2, axis=2).repeat(2, axis=3))
    np.testing.assert_allclose(nn.UpsamplingBilinear2d(size=(8, 9))(leaf(X)).array,
                               resize_reference(X, (8, 9), (None, None), "bilinear", True),
                               rtol=1e-12)
    assert nn.UpsamplingNearest2d(scale_factor=3)(leaf(X)).shape == (2, 3, 15, 21)


@pytest.mark.parametrize("call,message", [
    (lambda: F.interpolate(leaf(X)), "exactly one of size and scale_factor"),
    (lambda: F.interpolate(leaf(X), size=4, mode="bicubic"), "'bicubic', 'trilinear' and 'area'"),
    (lambda: F.interpolate(leaf(X), size=4, mode="linear"), r"needs a 3-D input; got shape"),
    (lambda: F.interpolate(leaf(X), size=4, align_corners=True), "only be set with the linear"),
    (lambda: F.interpolate(leaf(X[0, 0]), size=4), r"3-D \(N, C, L\) or 4-D"),
    (lambda: F.interpolate(leaf(X), size=(4, 0)), "must give 2 positive sizes"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
