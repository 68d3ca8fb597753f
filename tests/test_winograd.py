"""Winograd's F(2x2, 3x3): the forward and both gradients against the defining sums in
float64, the float32 error bound, the rule that picks it, and the convolution primitives'
first and second derivatives when it is picked."""
import warnings

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import minigrad as mg
from minigrad import nn, optim
from minigrad.nn import functional as F
from minigrad.ops import winograd
from minigrad.ops.convolution import Geometry
from conftest import leaf

rng = np.random.default_rng(25)
EPS32 = np.finfo(np.float32).eps


def _windows(x, padding):
    """x_pad[n, c, i + u, j + v] as an (N, C, out_h, out_w, 3, 3) view."""
    (ph, pw) = padding
    padded = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    return sliding_window_view(padded, (3, 3), axis=(2, 3))


def conv_reference(x, w, padding):
    """out[n, o, i, j] = sum_{c, u, v} w[o, c, u, v] x_pad[n, c, i + u, j + v]."""
    return np.einsum("nchwuv,ocuv->nohw", _windows(x, padding), w)


def input_grad_reference(g, w, input_shape, padding):
    """dx[n, c, y, z] = sum over (o, i, j, u, v) with i + u = y + p, j + v = z + p of
    g[n, o, i, j] w[o, c, u, v]: each output's gradient spread back over its window."""
    (ph, pw) = padding
    n, c, height, width = input_shape
    out_h, out_w = g.shape[2:]
    padded = np.zeros((n, c, height + 2 * ph, width + 2 * pw))
    for u in range(3):
        for v in range(3):
            padded[:, :, u:u + out_h, v:v + out_w] += np.einsum("nohw,oc->nchw", g, w[:, :, u, v])
    return padded[:, :, ph:ph + height, pw:pw + width]


def weight_grad_reference(x, g, padding):
    """dw[o, c, u, v] = sum_{n, i, j} g[n, o, i, j] x_pad[n, c, i + u, j + v]."""
    return np.einsum("nohw,nchwuv->ocuv", g, _windows(x, padding))


# (input shape, output channels, padding): odd and even sizes, every allowed padding.
CASES = [((2, 3, 7, 6), 4, (1, 1)), ((3, 2, 8, 8), 5, (0, 0)), ((1, 4, 5, 9), 2, (2, 2)),
         ((2, 2, 3, 3), 2, (0, 0)), ((2, 2, 4, 5), 3, (1, 2)), ((1, 1, 1, 1), 2, (1, 1))]


@pytest.mark.parametrize("x_shape, out_channels, padding", CASES)
def test_forward_and_both_gradients_match_the_defining_sums_in_float64(x_shape, out_channels,
                                                                       padding):
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal((out_channels, x_shape[1], 3, 3))
    expected = conv_reference(x, w, padding)
    out = winograd.forward(x, w, padding)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(expected.shape)
    dx = winograd.input_grad(g, w, padding)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, input_grad_reference(g, w, x_shape, padding), atol=1e-12)
    tiles = winograd.input_tiles(x, padding)
    for given in (None, tiles):  # from the forward's tiles, or its own
        np.testing.assert_allclose(winograd.weight_grad(x, g, padding, given),
                                   weight_grad_reference(x, g, padding), atol=1e-11)


@pytest.mark.parametrize("shape", [(4, 64, 64, 10), (2, 128, 96, 8), (8, 16, 32, 14)])
def test_float32_error_is_within_a_few_roundings_of_the_magnitude_of_the_sum(shape):
    """Documented bound: |winograd - exact| <= 4 eps32 * (the same sum over |w| |x|), per
    element, for the forward and both gradients (measured: at most 1.5)."""
    n, c, o, size = shape
    x = rng.standard_normal((n, c, size, size)).astype(np.float32)
    w = rng.standard_normal((o, c, 3, 3)).astype(np.float32)
    g = rng.standard_normal((n, o, size, size)).astype(np.float32)
    x64, w64, g64, p = x.astype(np.float64), w.astype(np.float64), g.astype(np.float64), (1, 1)
    checks = [
        (winograd.forward(x, w, p), conv_reference(x64, w64, p),
         conv_reference(abs(x64), abs(w64), p)),
        (winograd.input_grad(g, w, p), input_grad_reference(g64, w64, x.shape, p),
         input_grad_reference(abs(g64), abs(w64), x.shape, p)),
        (winograd.weight_grad(x, g, p), weight_grad_reference(x64, g64, p),
         weight_grad_reference(abs(x64), abs(g64), p)),
    ]
    for got, exact, magnitude in checks:
        assert got.dtype == np.float32
        assert np.all(np.abs(got - exact) <= 4 * EPS32 * magnitude)


GEOMETRY = Geometry((1, 1), (1, 1), (1, 1), 1)


@pytest.mark.parametrize("x_shape, w_shape, geometry, expected", [
    ((32, 64, 16, 16), (64, 64, 3, 3), GEOMETRY, True),
    ((16, 256, 8, 8), (256, 256, 3, 3), Geometry((1, 1), (0, 0), (1, 1), 1), True),
    ((128, 1, 28, 28), (16, 1, 3, 3), GEOMETRY, False),  # the MNIST CNN: measured slower
    ((128, 16, 14, 14), (32, 16, 3, 3), GEOMETRY, False),
    ((8, 64, 16, 16), (64, 64, 3, 3), Geometry((2, 2), (1, 1), (1, 1), 1), False),  # stride
    ((8, 64, 16, 16), (64, 64, 3, 3), Geometry((1, 1), (2, 2), (2, 2), 1), False),  # dilation
    ((8, 64, 16, 16), (64, 32, 3, 3), Geometry((1, 1), (1, 1), (1, 1), 2), False),  # groups
    ((8, 64, 16, 16), (64, 64, 5, 5), GEOMETRY, False),  # 5x5
    ((8, 64, 16, 16), (64, 64, 3, 3), Geometry((1, 1), (3, 3), (1, 1), 1), False),  # padding 3
])
def test_the_rule_picks_winograd_only_where_it_applies_and_pays(x_shape, w_shape, geometry,
                                                                expected):
    assert winograd.use(x_shape, w_shape, geometry) is expected


def test_a_wide_layer_runs_winograd_and_keeps_its_tiles_for_the_weight_gradient():
    x = leaf(rng.standard_normal((2, 64, 6, 6)).astype(np.float32))
    w = leaf(rng.standard_normal((64, 64, 3, 3)).astype(np.float32))
    out = F.conv2d(x, w, padding=1)
    assert out.grad_fn.cols.shape == (16, 64, 3 * 3 * 2)  # Winograd's tiles, not im2col's
    expected = conv_reference(x.array.astype(np.float64), w.array.astype(np.float64), (1, 1))
    magnitude = conv_reference(abs(x.array.astype(np.float64)), abs(w.array.astype(np.float64)),
                               (1, 1))
    assert np.all(np.abs(out.array - expected) <= 4 * EPS32 * magnitude)


@pytest.fixture
def always_winograd(monkeypatch):
    """Small layers take Winograd's path too, so the gradient checker can afford them."""
    monkeypatch.setattr(winograd, "pays", lambda channels_in, channels_out: True)


@pytest.mark.parametrize("x_shape, out_channels, padding", CASES[:3])
def test_conv2d_gradients_check_to_second_order_on_the_winograd_path(always_winograd, x_shape,
                                                                     out_channels, padding):
    x = leaf(rng.standard_normal((1,) + x_shape[1:]))
    w = leaf(rng.standard_normal((out_channels, x_shape[1], 3, 3)))
    b = leaf(rng.standard_normal(out_channels))

    def fn(x, w, b):
        return F.conv2d(x, w, b, padding=padding)
    assert fn(x, w, b).grad_fn.cols.shape[0] == 16  # the Winograd path is the one checked
    assert mg.gradcheck(fn, [x, w, b])
    assert mg.gradgradcheck(fn, [x, w, b])


def test_a_compiled_step_through_winograd_layers_replays_bit_identically(always_winograd):
    def run(compiled):
        mg.manual_seed(0)
        model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(),
                              nn.Conv2d(4, 4, 3, padding=1), nn.Flatten(), nn.Linear(64, 10))
        opt = optim.Adam(model.parameters(), lr=1e-2)

        def step(x, y):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            return loss
        step = mg.compile(step) if compiled else step
        data = np.random.default_rng(1)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            losses = [step(mg.tensor(data.standard_normal((5, 3, 4, 4)).astype(np.float32)),
                           mg.tensor(data.integers(0, 10, 5))).array.tobytes() for _ in range(6)]
        assert not compiled or step.last is not None  # replayed, not only traced
        return losses + [p.array.tobytes() for p in model.parameters()]
    assert run(compiled=True) == run(compiled=False)
