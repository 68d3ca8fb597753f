"""Convolution and pooling: values against the defining sums computed here in float64 by
plain loops, first and second derivatives by the gradient checker, PyTorch's tie rules."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(12)


def conv_by_definition(x, w, b, stride, padding, dilation, groups):
    """out[n, o, i, j] = b[o] + sum_{c in o's group, u, v} w[o, c, u, v] *
    x_pad[n, c, i*s + u*d, j*s + v*d], one output pixel at a time."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    x = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    n, c, height, width = x.shape
    o, c_per_group, kh, kw = w.shape
    out_h = (height - dh * (kh - 1) - 1) // sh + 1
    out_w = (width - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, out_h, out_w))
    per_group = o // groups
    for oc in range(o):
        first = oc // per_group * c_per_group
        for i in range(out_h):
            for j in range(out_w):
                patch = x[:, first:first + c_per_group, i * sh:i * sh + dh * (kh - 1) + 1:dh,
                          j * sw:j * sw + dw * (kw - 1) + 1:dw]
                out[:, oc, i, j] = (patch * w[oc]).sum(axis=(1, 2, 3)) + (0 if b is None else b[oc])
    return out


# (input shape, weight shape, stride, padding, dilation, groups, bias)
CONV_CASES = [
    ((2, 3, 6, 5), (4, 3, 3, 2), (1, 1), (0, 0), (1, 1), 1, True),
    ((2, 3, 7, 7), (4, 3, 3, 3), (2, 2), (1, 1), (1, 1), 1, True),
    ((1, 2, 8, 7), (2, 2, 3, 2), (1, 2), (2, 1), (2, 1), 1, False),
    ((2, 4, 6, 6), (6, 2, 3, 3), (1, 1), (1, 1), (1, 1), 2, True),
    ((1, 4, 9, 8), (4, 1, 2, 3), (2, 1), (0, 2), (2, 3), 4, True),
    ((2, 1, 5, 5), (3, 1, 1, 1), (3, 3), (0, 0), (1, 1), 1, True),
]


@pytest.mark.parametrize("x_shape,w_shape,stride,padding,dilation,groups,bias", CONV_CASES)
def test_conv2d_matches_the_defining_sum_and_its_gradients_check(x_shape, w_shape, stride,
                                                                 padding, dilation, groups, bias):
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0]) if bias else None
    out = F.conv2d(leaf(x), leaf(w), None if b is None else leaf(b), stride, padding,
                   dilation, groups)
    expected = conv_by_definition(x, w, b, stride, padding, dilation, groups)
    np.testing.assert_allclose(out.array, expected, rtol=1e-12, atol=1e-12)
    inputs = [leaf(x[:1]), leaf(w)] + ([leaf(b)] if bias else [])

    def fn(*args):
        return F.conv2d(*args[:2], *(args[2:] or [None]), stride, padding, dilation, groups)
    assert mg.gradcheck(fn, inputs)
    assert mg.gradgradcheck(fn, inputs)


def test_convolution_primitives_are_each_others_derivatives_to_third_order():
    # d/dx of <v, d/dw <g, conv(x, w)>> runs through all three primitives' backwards.
    x, w = leaf(rng.standard_normal((1, 2, 5, 5))), leaf(rng.standard_normal((2, 2, 3, 3)))
    g = leaf(rng.standard_normal((1, 2, 3, 3)))

    def weight_gradient(x, w, g):
        (grad_w,) = mg.autograd.grad(F.conv2d(x, w, stride=1, padding=0), [w], g,
                                     create_graph=True)
        return grad_w
    assert mg.gradcheck(weight_gradient, [x, w, g])
    assert mg.gradgradcheck(weight_gradient, [x, w, g])


@pytest.mark.parametrize("padding,kernel,dilation", [("same", 3, 1), ("same", 4, 1),
                                                     ("same", 2, 3), ("valid", 3, 2)])
def test_conv2d_string_padding(padding, kernel, dilation):
    x, w = rng.standard_normal((1, 2, 7, 6)), rng.standard_normal((3, 2, kernel, kernel))
    out = F.conv2d(leaf(x), leaf(w), padding=padding, dilation=dilation)
    if padding == "valid":
        expected = conv_by_definition(x, w, None, (1, 1), (0, 0), (dilation,) * 2, 1)
    else:  # total d(k-1) per axis; an odd total puts the extra row/column at the end
        total = dilation * (kernel - 1)
        before, after = total // 2, total - total // 2
        padded = np.pad(x, [(0, 0), (0, 0), (before, after), (before, after)])
        expected = conv_by_definition(padded, w, None, (1, 1), (0, 0), (dilation,) * 2, 1)
        assert out.shape == x.shape[:1] + (3,) + x.shape[2:]
    np.testing.assert_allclose(out.array, expected, rtol=1e-12, atol=1e-12)


def test_conv2d_layer_with_groups_and_dilation():
    layer = nn.Conv2d(4, 6, 3, padding=2, dilation=2, groups=2)
    assert layer.weight.shape == (6, 2, 3, 3)
    assert np.abs(layer.weight.array).max() <= 1 / np.sqrt(2 * 9)
    assert "padding=(2, 2), dilation=(2, 2), groups=2)" in repr(layer)  # PyTorch's form
    x = rng.standard_normal((2, 4, 8, 8)).astype(np.float32)
    out = layer(mg.Tensor(x))
    assert out.shape == (2, 6, 8, 8) and out.dtype == np.float32
    expected = conv_by_definition(x.astype(np.float64), layer.weight.array.astype(np.float64),
                                  layer.bias.array.astype(np.float64), (1, 1), (2, 2), (2, 2), 2)
    np.testing.assert_allclose(out.array, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("call,message", [
    (lambda: F.conv2d(mg.ones(1, 4, 5, 5), mg.ones(6, 2, 3, 3), groups=3),
     r"input \(1, 4, 5, 5\).*weight \(6, 2, 3, 3\).*groups=3"),
    (lambda: F.conv2d(mg.ones(1, 2, 5, 5), mg.ones(3, 2, 3, 3), mg.ones(4)),
     r"bias of shape \(4,\) must be \(3,\)"),
    (lambda: F.conv2d(mg.ones(1, 2, 5, 5), mg.ones(3, 2, 3, 3), dilation=3),
     r"kernel \(3, 3\) with dilation \(3, 3\) is larger"),
    (lambda: F.conv2d(mg.ones(1, 2, 5, 5), mg.ones(3, 2, 3, 3), stride=0),
     r"stride must be a positive int"),
    (lambda: F.conv2d(mg.ones(1, 2, 5, 5), mg.ones(3, 2, 3, 3), stride=2, padding="same"),
     r"padding='same' is not supported for strided"),
    (lambda: F.conv2d(mg.ones(1, 2, 5, 5), mg.ones(3, 2, 3, 3), padding="full"),
     r"padding must be an int, a pair, 'valid' or 'same'; got 'full'"),
    (lambda: nn.Conv2d(3, 4, 3, groups=2), r"in_channels \(3\).*divisible by groups \(2\)"),
])
def test_conv2d_errors_name_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ------------------------------------------------------------------------------ pooling
def pool_by_definition(x, kernel, stride, padding, reduce, pad_value):
    x = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)],
               constant_values=pad_value)
    (kh, kw), (sh, sw) = kernel, stride
    out_h, out_w = (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1
    out = np.zeros(x.shape[:2] + (out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[:, :, i, j] = reduce(x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw], axis=(2, 3))
    return out


POOL_CASES = [((2, 2), None, 0, (6, 6)), ((2, 2), None, 0, (7, 9)), ((3, 3), None, 0, (7, 6)),
              ((2, 3), None, 0, (8, 7)), ((3, 3), (2, 2), 1, (7, 7)), ((2, 2), (1, 1), 0, (5, 6))]


@pytest.mark.parametrize("kernel,stride,padding,size", POOL_CASES)
def test_pooling_matches_the_definition_and_its_gradients_check(kernel, stride, padding, size):
    x = rng.permutation(2 * 3 * size[0] * size[1]).reshape((2, 3) + size) * 0.1  # no ties
    step = kernel if stride is None else stride
    np.testing.assert_array_equal(F.max_pool2d(leaf(x), kernel, stride, padding).array,
                                  pool_by_definition(x, kernel, step, padding, np.max, -np.inf))
    np.testing.assert_allclose(F.avg_pool2d(leaf(x), kernel, stride, padding).array,
                               pool_by_definition(x, kernel, step, padding, np.mean, 0.0),
                               rtol=1e-12)
    for pool in (F.max_pool2d, F.avg_pool2d):
        fn = lambda t: pool(t, kernel, stride, padding)  # noqa: E731
        assert mg.gradcheck(fn, [leaf(x[:1, :2])])
        assert mg.gradgradcheck(fn, [leaf(x[:1, :1])])


def first_max_gradient(x, kernel, stride):
    """d(sum of max pools)/dx with PyTorch's rule: each window's gradient goes to its first
    maximum in row-major order, or to its last NaN when it holds NaN."""
    grad = np.zeros_like(x)
    (kh, kw), (sh, sw) = kernel, stride
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for i in range((x.shape[2] - kh) // sh + 1):
                for j in range((x.shape[3] - kw) // sw + 1):
                    window = x[n, c, i * sh:i * sh + kh, j * sw:j * sw + kw].ravel()
                    nans = np.flatnonzero(np.isnan(window))
                    k = nans[-1] if len(nans) else np.flatnonzero(window == window.max())[0]
                    grad[n, c, i * sh + k // kw, j * sw + k % kw] += 1
    return grad


@pytest.mark.parametrize("kernel,stride", [((2, 2), (2, 2)), ((3, 3), (3, 3)), ((2, 2), (1, 1)),
                                           ((3, 2), (2, 1))])
@pytest.mark.parametrize("with_nan", [False, True])
def test_max_pool_ties_and_nan_route_the_gradient_as_pytorch(kernel, stride, with_nan):
    x = rng.integers(0, 3, (2, 2, 6, 6)).astype(np.float64)  # small integers: many ties
    x[1, 1] = 0.0  # whole windows of equal values, as after a ReLU
    if with_nan:
        x[0, 0, 0, :3] = np.nan
        x[0, 1, 4, 4] = np.nan
    t = leaf(x)
    out = F.max_pool2d(t, kernel, stride)
    out.sum().backward()
    np.testing.assert_array_equal(t.grad.array, first_max_gradient(x, kernel, stride))
    assert np.isnan(out.array).any() == with_nan


def test_max_pool_on_a_batch_last_layout_and_a_float32_cnn_step():
    # A convolution hands on a batch-last view; pooling and its gradient must not care.
    x = rng.standard_normal((4, 3, 8, 8)).astype(np.float32)
    conv = nn.Conv2d(3, 5, 3, padding=1)
    out = F.max_pool2d(F.relu(conv(mg.Tensor(x))), 2)
    reference = pool_by_definition(np.maximum(conv(mg.Tensor(x)).array, 0), (2, 2), (2, 2), 0,
                                   np.max, -np.inf)
    np.testing.assert_array_equal(out.array, reference)
    out.sum().backward()
    assert conv.weight.grad.dtype == np.float32 and conv.weight.grad.array.flags.c_contiguous


def test_pooling_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"kernel \(5, 5\) is larger than the \(padded\) input"):
        F.max_pool2d(mg.ones(1, 1, 4, 4), 5)
    with pytest.raises(ValueError, match=r"padding \(2, 2\) should be at most half"):
        F.avg_pool2d(mg.ones(1, 1, 8, 8), 3, padding=2)
    with pytest.raises(ValueError, match=r"expected a 4-D input"):
        F.max_pool2d(mg.ones(4, 4), 2)
