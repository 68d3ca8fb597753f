"""LayerNorm, RMSNorm, GroupNorm: forward against the published formulas in float64,
gradcheck and gradgradcheck, PyTorch's parameters, init and repr, and the error paths."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(11)


def layer_norm_reference(x, axes, weight, bias, eps):
    mean = x.mean(axis=axes, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=axes, keepdims=True)  # biased, as PyTorch
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def rms_norm_reference(x, axes, weight, eps):
    return x / np.sqrt((x ** 2).mean(axis=axes, keepdims=True) + eps) * weight


def group_norm_reference(x, groups, weight, bias, eps):
    n, c = x.shape[:2]
    grouped = x.reshape(n, groups, -1)
    mean = grouped.mean(axis=2, keepdims=True)
    variance = grouped.var(axis=2, keepdims=True)
    normalized = ((grouped - mean) / np.sqrt(variance + eps)).reshape(x.shape)
    shape = (1, c) + (1,) * (x.ndim - 2)
    return normalized * weight.reshape(shape) + bias.reshape(shape)


# name, x shape, function of (x, weight, bias), parameter shape, reference of (x, w, b)
CASES = [
    ("layer_norm_last", (3, 5), lambda x, w, b: F.layer_norm(x, 5, w, b, eps=1e-5), (5,),
     lambda x, w, b: layer_norm_reference(x, (-1,), w, b, 1e-5)),
    ("layer_norm_2d", (2, 3, 4), lambda x, w, b: F.layer_norm(x, (3, 4), w, b, eps=1e-3), (3, 4),
     lambda x, w, b: layer_norm_reference(x, (-2, -1), w, b, 1e-3)),
    ("rms_norm", (2, 3, 4), lambda x, w, b: F.rms_norm(x, [4], w, eps=1e-6), (4,),
     lambda x, w, b: rms_norm_reference(x, (-1,), w, 1e-6)),
    ("rms_norm_default_eps", (3, 4), lambda x, w, b: F.rms_norm(x, (3, 4), w), (3, 4),
     lambda x, w, b: rms_norm_reference(x, (-2, -1), w, np.finfo(np.float64).eps)),
    ("group_norm", (2, 6, 3), lambda x, w, b: F.group_norm(x, 3, w, b, eps=1e-5), (6,),
     lambda x, w, b: group_norm_reference(x, 3, w, b, 1e-5)),
    ("group_norm_4d", (2, 4, 2, 2), lambda x, w, b: F.group_norm(x, 1, w, b), (4,),
     lambda x, w, b: group_norm_reference(x, 1, w, b, 1e-5)),
]


@pytest.mark.parametrize("name,shape,function,parameter_shape,reference", CASES,
                         ids=[case[0] for case in CASES])
def test_forward_gradcheck_and_gradgradcheck(name, shape, function, parameter_shape, reference):
    x = rng.standard_normal(shape) * 2 + 0.5
    w, b = rng.standard_normal(parameter_shape), rng.standard_normal(parameter_shape)
    np.testing.assert_allclose(function(leaf(x), leaf(w), leaf(b)).array, reference(x, w, b),
                               rtol=1e-12, atol=1e-12)
    inputs = [leaf(x), leaf(w), leaf(b)]
    assert mg.gradcheck(function, inputs)
    assert mg.gradgradcheck(function, inputs)


@pytest.mark.parametrize("layer,names,shape,text", [
    (nn.LayerNorm(4), ["weight", "bias"], (4,),
     "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"),
    (nn.LayerNorm([2, 3], eps=1e-3, bias=False), ["weight"], (2, 3),
     "LayerNorm((2, 3), eps=0.001, elementwise_affine=True, bias=False)"),
    (nn.LayerNorm(4, elementwise_affine=False), [], None,
     "LayerNorm((4,), eps=1e-05, elementwise_affine=False, bias=False)"),
    (nn.RMSNorm([3]), ["weight"], (3,), "RMSNorm((3,), eps=None, elementwise_affine=True)"),
    (nn.RMSNorm(3, eps=1e-6, elementwise_affine=False), [], None,
     "RMSNorm((3,), eps=1e-06, elementwise_affine=False)"),
    (nn.GroupNorm(2, 6), ["weight", "bias"], (6,),
     "GroupNorm(2, 6, eps=1e-05, affine=True, bias=True)"),
    (nn.GroupNorm(2, 6, bias=False), ["weight"], (6,),
     "GroupNorm(2, 6, eps=1e-05, affine=True, bias=False)"),
    (nn.GroupNorm(3, 6, affine=False), [], None,
     "GroupNorm(3, 6, eps=1e-05, affine=False, bias=False)"),
])
def test_parameters_init_and_repr(layer, names, shape, text):
    parameters = dict(layer.named_parameters())
    assert list(parameters) == names and repr(layer) == text
    if "weight" in parameters:
        assert parameters["weight"].shape == shape and np.all(parameters["weight"].array == 1)
        assert parameters["weight"].dtype == np.float32
    if "bias" in parameters:
        assert np.all(parameters["bias"].array == 0)


def test_layers_call_their_functions():
    x = rng.standard_normal((2, 6, 3)).astype(np.float32)
    layer = nn.GroupNorm(3, 6, dtype=mg.float64)
    np.testing.assert_allclose(layer(mg.tensor(x.astype(np.float64))).array,
                               group_norm_reference(x.astype(np.float64), 3, np.ones(6),
                                                    np.zeros(6), 1e-5), rtol=1e-12)
    out = nn.LayerNorm(3)(mg.tensor(x))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.array, layer_norm_reference(x, (-1,), 1, 0, 1e-5), atol=1e-5)
    out = nn.RMSNorm(3)(mg.tensor(x))  # eps = float32's epsilon
    np.testing.assert_allclose(out.array, rms_norm_reference(
        x.astype(np.float64), (-1,), 1, np.finfo(np.float32).eps), rtol=1e-5)


@pytest.mark.parametrize("call,error,message", [
    (lambda: F.layer_norm(mg.zeros(2, 3), [4]), ValueError,
     r"normalized_shape=\[4\], expected input with shape \[\*, 4\], "
     r"but got input of size \[2, 3\]"),
    (lambda: nn.LayerNorm((2, 3))(mg.zeros(3)), ValueError, r"\[\*, 2, 3\].*size \[3\]"),
    (lambda: nn.RMSNorm(4)(mg.zeros(4, 3)), ValueError, r"rms_norm.*\[4, 3\]"),
    (lambda: F.group_norm(mg.zeros(2, 5), 2), ValueError,
     r"C divisible by num_groups=2; got shape \(2, 5\)"),
    (lambda: nn.GroupNorm(4, 6), ValueError,
     r"num_channels \(6\) must be divisible by num_groups \(4\)"),
    (lambda: nn.GroupNorm(2, 6)(mg.zeros(2, 4)), ValueError, r"\(N, 6, \*\); got \(2, 4\)"),
    (lambda: nn.LayerNorm(3, device="cuda"), RuntimeError, "not supported"),
])
def test_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()
