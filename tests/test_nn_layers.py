"""Layers: forward values against formulas computed here in float64, gradchecks, modes."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(7)


def test_linear_shapes_init_and_formula():
    layer = nn.Linear(784, 10)
    assert layer.weight.shape == (10, 784) and layer.bias.shape == (10,)
    bound = 1 / math.sqrt(784)
    for p in (layer.weight, layer.bias):
        assert p.dtype == np.float32 and np.abs(p.array).max() <= bound
        assert np.abs(p.array).max() > 0.9 * bound  # really uniform over the whole range
    x = rng.standard_normal((5, 784)).astype(np.float32)
    expected = x.astype(np.float64) @ layer.weight.array.T.astype(np.float64) + layer.bias.array
    np.testing.assert_allclose(layer(mg.Tensor(x)).array, expected, rtol=1e-5, atol=1e-5)
    assert nn.Linear(3, 2, bias=False).bias is None


def test_linear_rejects_wrong_feature_count():
    with pytest.raises(ValueError, match=r"input of shape \(2, 5\) has 5 features.*\(3, 4\) expects 4"):
        nn.Linear(4, 3)(mg.ones(2, 5))


@pytest.mark.parametrize("name,layer,reference", [
    ("relu", nn.ReLU(), lambda x: np.maximum(x, 0)),
    ("leaky", nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    ("elu", nn.ELU(0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
    ("gelu", nn.GELU(), lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))),
    ("gelu_tanh", nn.GELU("tanh"), lambda x: 0.5 * x * (
        1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))),
    ("sigmoid", nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    ("silu", nn.SiLU(), lambda x: x / (1 + np.exp(-x))),
    ("mish", nn.Mish(), lambda x: x * np.tanh(np.log1p(np.exp(x)))),
    ("tanh", nn.Tanh(), np.tanh),
    ("softplus", nn.Softplus(beta=2.0), lambda x: np.where(2 * x > 20, x, np.log1p(np.exp(2 * x)) / 2)),
    ("softmax", nn.Softmax(1), lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True)),
    ("log_softmax", nn.LogSoftmax(1), lambda x: x - np.log(np.exp(x).sum(1, keepdims=True))),
    ("hardtanh", nn.Hardtanh(-0.5, 2.0), lambda x: np.clip(x, -0.5, 2.0)),
    ("logsigmoid", nn.LogSigmoid(), lambda x: -np.logaddexp(0.0, -x)),
    ("prelu", nn.PReLU(dtype=mg.float64), lambda x: np.where(x > 0, x, 0.25 * x)),
])
def test_activations(name, layer, reference):
    x = rng.standard_normal((4, 5)) * 3
    x[0, 0] = 0.0  # the kink: PyTorch's conventions there are part of the contract
    x[0, 1] = 15.0  # past softplus(beta=2)'s threshold
    np.testing.assert_allclose(layer(leaf(x)).array, reference(x), rtol=1e-12, atol=1e-14)
    x[0, 0] = 0.3
    assert mg.gradcheck(layer, [leaf(x)])
    assert mg.gradgradcheck(layer, [leaf(x)])


def test_prelu_per_channel_slopes_init_and_gradients():
    layer = nn.PReLU(3, init=0.1)
    assert layer.weight.shape == (3,) and layer.weight.dtype == np.float32
    assert np.all(layer.weight.array == np.float32(0.1)) and len(list(layer.parameters())) == 1
    x = rng.standard_normal((2, 3, 4, 4))
    slopes = np.array([0.1, -0.5, 2.0])
    expected = np.where(x > 0, x, slopes[None, :, None, None] * x)
    np.testing.assert_allclose(F.prelu(leaf(x), leaf(slopes)).array, expected, rtol=1e-14)
    assert mg.gradcheck(F.prelu, [leaf(x), leaf(slopes)])
    with pytest.raises(ValueError, match=r"weight of shape \(2,\) must have one element or one "
                                         r"per channel \(3 for an input of shape"):
        F.prelu(leaf(x), leaf([0.1, 0.2]))
    with pytest.raises(ValueError, match="num_parameters must be a positive int; got 0"):
        nn.PReLU(0)


def test_logsigmoid_is_finite_far_out_and_hardtanh_checks_its_range():
    out = F.logsigmoid(leaf([-800.0, 800.0]))
    np.testing.assert_allclose(out.array, [-800.0, 0.0], atol=1e-300)  # ln sigmoid(-800) = -800
    with pytest.raises(ValueError, match="min_val 2 is greater than max_val 1"):
        nn.Hardtanh(2, 1)
    layer = nn.Hardtanh(min_value=-2.0, max_value=0.5)  # PyTorch's deprecated spellings
    assert (layer.min_val, layer.max_val) == (-2.0, 0.5)


def test_softmax2d_normalises_over_channels_at_each_pixel():
    x = rng.standard_normal((2, 3, 4, 5))
    expected = np.exp(x) / np.exp(x).sum(1, keepdims=True)
    np.testing.assert_allclose(nn.Softmax2d()(leaf(x)).array, expected, rtol=1e-12)
    np.testing.assert_allclose(nn.Softmax2d()(leaf(x[0])).array, expected[0], rtol=1e-12)
    assert mg.gradcheck(nn.Softmax2d(), [leaf(x[:1, :, :2, :2])])
    with pytest.raises(ValueError, match=r"3-D or 4-D input; got shape \(4, 5\)"):
        nn.Softmax2d()(leaf(x[0, 0]))


def test_activation_gradients_at_zero_follow_pytorch():
    x = leaf([0.0])
    for fn, expected in [(F.relu, 0.0), (lambda t: F.leaky_relu(t, 0.1), 0.1),
                         (F.elu, 1.0), (F.softplus, 0.5)]:
        x.grad = None
        fn(x).sum().backward()
        assert x.grad.item() == pytest.approx(expected), fn


def test_erf_matches_math_erf_to_float64_precision():
    from minigrad.ops.special import erf
    xs = np.linspace(-7, 7, 4001)
    expected = np.array([math.erf(v) for v in xs])
    np.testing.assert_allclose(erf(xs), expected, rtol=5e-15, atol=1e-300)


def test_dropout_train_and_eval():
    layer = nn.Dropout(0.25)
    x = mg.ones(200, 100)
    out = layer(x).array
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 0.75, rtol=1e-6)
    layer.eval()
    assert layer(x) is x


def test_dropout_is_reproducible_from_the_framework_seed():
    mg.manual_seed(3)
    first = nn.Dropout(0.5)(mg.ones(50)).array
    mg.manual_seed(3)
    np.testing.assert_array_equal(nn.Dropout(0.5)(mg.ones(50)).array, first)


def test_dropout_gradcheck_and_bad_p():
    assert mg.gradcheck(lambda t: F.dropout(t, 0.3), [leaf(rng.standard_normal((4, 4)))])
    with pytest.raises(ValueError, match="between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)


def test_dropout2d_zeroes_whole_channels():
    layer = nn.Dropout2d(0.25)
    out = layer(mg.ones(100, 40, 3, 3)).array
    channel_kept = out[:, :, 0, 0] != 0
    # Every pixel of a channel shares its fate; about 3/4 of the channels survive, scaled.
    assert np.all((out != 0) == channel_kept[:, :, None, None])
    assert abs(channel_kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(out[out != 0], 1 / 0.75, rtol=1e-6)
    assert F.dropout2d(mg.ones(5, 2, 2), 0.5).shape == (5, 2, 2)  # unbatched (C, H, W)
    layer.eval()
    x = mg.ones(2, 3, 4, 4)
    assert layer(x) is x
    mask_test = lambda t: F.dropout2d(t, 0.3)  # noqa: E731  (a fresh mask per call: seed it)
    mg.manual_seed(1)
    first = mask_test(leaf(np.ones((2, 3, 2, 2)))).array
    mg.manual_seed(1)
    np.testing.assert_array_equal(mask_test(leaf(np.ones((2, 3, 2, 2)))).array, first)
    with pytest.raises(ValueError, match=r"3-D \(C, H, W\) or 4-D \(N, C, H, W\) input; got "
                                         r"shape \(2, 3\)"):
        F.dropout2d(mg.ones(2, 3))
    with pytest.raises(ValueError, match="between 0 and 1, but got -0.1"):
        F.dropout2d(mg.ones(1, 1, 2, 2), -0.1)


def test_dropout1d_zeroes_whole_channels_of_sequences():
    out = nn.Dropout1d(0.5)(mg.ones(50, 40, 6)).array
    kept = out[:, :, 0] != 0
    assert np.all((out != 0) == kept[:, :, None]) and abs(kept.mean() - 0.5) < 0.05
    assert F.dropout1d(mg.ones(3, 4), 0.5).shape == (3, 4)  # unbatched (C, L)
    with pytest.raises(ValueError, match=r"2-D \(C, L\) or 3-D \(N, C, L\) input; got shape"):
        F.dropout1d(mg.ones(2, 3, 4, 5))


def batchnorm_reference(x, gamma, beta, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean, var = x.mean(axes), x.var(axes)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * gamma.reshape(shape) \
        + beta.reshape(shape)


@pytest.mark.parametrize("layer_type,shape", [(nn.BatchNorm1d, (6, 3)), (nn.BatchNorm1d, (4, 3, 5)),
                                              (nn.BatchNorm2d, (2, 3, 4, 4))])
def test_batchnorm_training_forward_and_running_stats(layer_type, shape):
    layer = layer_type(3, momentum=0.2).double()
    layer.weight.array[...] = [1.0, 2.0, 0.5]
    layer.bias.array[...] = [0.0, -1.0, 3.0]
    running_mean, running_var = np.zeros(3), np.ones(3)
    axes = (0,) + tuple(range(2, len(shape)))
    for step in range(4):
        x = rng.standard_normal(shape) * (step + 1) + step
        out = layer(leaf(x))
        np.testing.assert_allclose(out.array, batchnorm_reference(x, layer.weight.array, layer.bias.array),
                                   rtol=1e-10, atol=1e-12)
        n = x.size // 3
        running_mean = 0.8 * running_mean + 0.2 * x.mean(axes)
        running_var = 0.8 * running_var + 0.2 * x.var(axes) * n / (n - 1)
    np.testing.assert_allclose(layer.running_mean.array, running_mean, rtol=1e-12)
    np.testing.assert_allclose(layer.running_var.array, running_var, rtol=1e-12)
    assert layer.num_batches_tracked.item() == 4
    layer.eval()
    x = rng.standard_normal(shape)
    expected = (x - running_mean.reshape((1, 3) + (1,) * (len(shape) - 2))) / np.sqrt(
        running_var.reshape((1, 3) + (1,) * (len(shape) - 2)) + 1e-5)
    expected = expected * layer.weight.array.reshape((1, 3) + (1,) * (len(shape) - 2)) + \
        layer.bias.array.reshape((1, 3) + (1,) * (len(shape) - 2))
    np.testing.assert_allclose(layer(leaf(x)).array, expected, rtol=1e-10)


def test_batchnorm_cumulative_average_with_momentum_none():
    layer = nn.BatchNorm1d(2, momentum=None).double()
    batches = [rng.standard_normal((5, 2)) + i for i in range(3)]
    for x in batches:
        layer(leaf(x))
    np.testing.assert_allclose(layer.running_mean.array, np.mean([b.mean(0) for b in batches], 0))


def test_batchnorm_gradcheck_in_training_mode():
    layer = nn.BatchNorm2d(2).double()
    layer.weight.array[...] = [1.5, -0.5]
    x = leaf(rng.standard_normal((3, 2, 2, 2)))
    params = [layer.weight, layer.bias]
    assert mg.gradcheck(lambda t, w, b: F.batch_norm(t, None, None, w, b, training=True),
                        [x] + [leaf(p.array) for p in params])
    assert mg.gradgradcheck(lambda t: F.batch_norm(t, None, None, training=True), [x])


def test_batchnorm_one_value_per_channel_is_an_error():
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, "
                                         r"got input size \(1, 3\)"):
        nn.BatchNorm1d(3)(mg.ones(1, 3))
    layer = nn.BatchNorm1d(3).eval()
    assert layer(mg.ones(1, 3)).shape == (1, 3)  # fine in eval mode
    with pytest.raises(ValueError, match=r"expects 2-D or 3-D input with 3 channels.*\(2, 4\)"):
        layer(mg.ones(2, 4))


def conv_reference(x, w, b, stride, padding):
    x = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)])
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), (1, 2)])
def test_conv2d_forward_and_gradcheck(stride, padding):
    x = rng.standard_normal((2, 3, 6, 5))
    w, b = rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    out = F.conv2d(leaf(x), leaf(w), leaf(b), stride, padding)
    np.testing.assert_allclose(out.array, conv_reference(x, w, b, stride, padding), rtol=1e-12)
    fn = lambda a, k, c: F.conv2d(a, k, c, stride, padding)  # noqa: E731
    small = [leaf(x[:1, :2, :4, :4]), leaf(w[:2, :2]), leaf(b[:2])]
    assert mg.gradcheck(fn, small)
    assert mg.gradgradcheck(fn, small)


def test_conv2d_layer_init_and_shape_errors():
    layer = nn.Conv2d(3, 8, 5)
    assert layer.weight.shape == (8, 3, 5, 5)
    assert np.abs(layer.weight.array).max() <= 1 / math.sqrt(75)
    assert layer(mg.randn(2, 3, 10, 10)).shape == (2, 8, 6, 6)
    with pytest.raises(ValueError, match=r"input \(2, 4, 10, 10\).*weight \(8, 3, 5, 5\)"):
        layer(mg.randn(2, 4, 10, 10))
    with pytest.raises(ValueError, match="kernel"):
        layer(mg.randn(1, 3, 3, 3))


def pool_reference(x, k, stride, padding, reduce, pad_value):
    x = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)],
               constant_values=pad_value)
    n, c, h, w = x.shape
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = reduce(x[:, :, i * stride:i * stride + k, j * stride:j * stride + k],
                                     axis=(2, 3))
    return out


@pytest.mark.parametrize("k,stride,padding", [(2, None, 0), (3, 2, 1), (2, 1, 0)])
def test_pooling_forward_and_gradcheck(k, stride, padding):
    x = rng.permutation(2 * 3 * 5 * 5).reshape(2, 3, 5, 5) * 0.1  # distinct: no ties
    s = k if stride is None else stride
    np.testing.assert_allclose(nn.MaxPool2d(k, stride, padding)(leaf(x)).array,
                               pool_reference(x, k, s, padding, np.max, -np.inf))
    np.testing.assert_allclose(nn.AvgPool2d(k, stride, padding)(leaf(x)).array,
                               pool_reference(x, k, s, padding, np.mean, 0.0), rtol=1e-12)
    for layer in (nn.MaxPool2d(k, stride, padding), nn.AvgPool2d(k, stride, padding)):
        assert mg.gradcheck(layer, [leaf(x[:1, :2])])
        assert mg.gradgradcheck(layer, [leaf(x[:1, :1])])


def test_max_pool_tie_gives_gradient_to_first_maximum():
    x = leaf(np.ones((1, 1, 2, 2)))
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.array.ravel(), [1.0, 0.0, 0.0, 0.0])


def test_small_cnn_forward_backward_shapes():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(4, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 5 * 5, 10))
    loss = F.cross_entropy(model(mg.randn(3, 1, 14, 14)), mg.tensor([1, 2, 3]))
    loss.backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())


def test_erf_of_float32_is_within_one_float32_ulp_of_math_erf():
    from minigrad.ops.special import erf
    xs = np.concatenate([np.linspace(-9, 9, 20001), [0.0, 1e-30, -1e-8, 0.4999, 0.5, 0.5001]])
    xs = xs.astype(np.float32)
    expected = np.array([math.erf(float(v)) for v in xs])
    got = erf(xs)
    assert got.dtype == np.float32
    ulp = np.spacing(np.abs(expected).astype(np.float32)).astype(np.float64)
    assert np.all(np.abs(got - expected) <= np.maximum(ulp, 1e-45))


def test_fused_gelu_gives_the_compositions_bits_and_the_published_derivative_both_ways():
    from minigrad import ops
    x32 = (rng.standard_normal((8, 300)) * 3).astype(np.float32)
    t = mg.tensor(x32)
    composed = t * 0.5 * (ops.Erf.apply(t * (1.0 / math.sqrt(2.0))) + 1.0)
    assert F.gelu(t).array.tobytes() == composed.array.tobytes()
    xs = rng.standard_normal(40) * 3
    # d/dx x Phi(x) = Phi(x) + x phi(x), in float64 from the formula.
    expected = (0.5 * (1 + np.vectorize(math.erf)(xs / math.sqrt(2)))
                + xs * np.exp(-xs ** 2 / 2) / math.sqrt(2 * math.pi))
    for create_graph in (False, True):  # the saved Phi, or Phi recomputed as an op of x
        x = leaf(xs)
        (grad,) = mg.autograd.grad(F.gelu(x).sum(), [x], create_graph=create_graph)
        np.testing.assert_allclose(grad.array, expected, rtol=1e-13, atol=1e-15)
        assert (grad.grad_fn is not None) == create_graph


@pytest.mark.parametrize("layer,shape", [(nn.Dropout2d, (2, 3, 4, 4)), (nn.Dropout1d, (2, 3, 5))])
def test_channel_dropout_in_place_changes_its_input(layer, shape):
    x = mg.ones(*shape)
    out = layer(0.5, inplace=True)(x)
    assert np.array_equal(x.array, out.array) and (x.array == 0).any()
    kept = x.array[x.array != 0]
    assert np.all(kept == 2.0)  # survivors scaled by 1 / (1 - p)


@pytest.mark.parametrize("make", [lambda d: nn.PReLU(dtype=d), lambda d: nn.Conv1d(2, 3, 3, dtype=d),
                                  lambda d: nn.ConvTranspose2d(2, 3, 3, dtype=d)])
def test_every_layer_takes_its_parameter_dtype_from_dtype_alone(make):
    assert all(p.dtype == np.float32 for p in make(None).parameters())
    assert all(p.dtype == np.float64 for p in make(mg.float64).parameters())
    with pytest.raises(TypeError, match="floating dtype; got dtype=int32"):
        make(mg.int32)
