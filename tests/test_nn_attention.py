"""nn.MultiheadAttention: PyTorch's parameters, init and layouts, and its output against
the multi-head formula written here in NumPy (float64); masks, bias_kv, zero_attn, separate
kdim/vdim projections; gradcheck and gradgradcheck; the error paths."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from conftest import leaf

rng = np.random.default_rng(9)
E, H, L, S, N = 8, 2, 3, 4, 2


def mha_reference(layer, query, key, value, mask=0.0):
    """Inputs (L, N, E) and a float mask broadcasting to (N, H, L, S); returns the output
    (L, N, E) and the per-head weights (N, H, L, S)."""
    p = {name: t.array.astype(np.float64) for name, t in layer.named_parameters()}
    if "in_proj_weight" in p:
        w_q, w_k, w_v = np.split(p["in_proj_weight"], 3)
    else:
        w_q, w_k, w_v = p["q_proj_weight"], p["k_proj_weight"], p["v_proj_weight"]
    b_q, b_k, b_v = np.split(p.get("in_proj_bias", np.zeros(3 * E)), 3)
    q, k, v = query @ w_q.T + b_q, key @ w_k.T + b_k, value @ w_v.T + b_v
    if "bias_k" in p:  # one more key and value: the learned biases
        k = np.concatenate([k, np.broadcast_to(p["bias_k"], (1, N, E))])
        v = np.concatenate([v, np.broadcast_to(p["bias_v"], (1, N, E))])
    d = E // H

    def heads(x):  # (S, N, E) -> (N, H, S, d)
        return x.reshape(x.shape[0], N, H, d).transpose(1, 2, 0, 3)
    q, k, v = heads(q), heads(k), heads(v)
    if layer.add_zero_attn:
        k = np.concatenate([k, np.zeros((N, H, 1, d))], axis=2)
        v = np.concatenate([v, np.zeros((N, H, 1, d))], axis=2)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + mask
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    out = (weights @ v).transpose(2, 0, 1, 3).reshape(query.shape[0], N, E)
    out = out @ p["out_proj.weight"].T + p.get("out_proj.bias", 0.0)
    return out, weights


def inputs(kdim=E, vdim=E):
    return (rng.standard_normal((L, N, E)), rng.standard_normal((S, N, kdim)),
            rng.standard_normal((S, N, vdim)))


def test_parameters_names_shapes_and_init():
    layer = nn.MultiheadAttention(64, 4)
    shapes = {name: p.shape for name, p in layer.named_parameters()}
    assert shapes == {"in_proj_weight": (192, 64), "in_proj_bias": (192,),
                      "out_proj.weight": (64, 64), "out_proj.bias": (64,)}
    bound = math.sqrt(6 / (64 + 192))  # xavier_uniform_ over the stacked (3E, E) matrix
    assert bound * 0.95 < np.abs(layer.in_proj_weight.array).max() <= bound
    assert np.all(layer.in_proj_bias.array == 0) and np.all(layer.out_proj.bias.array == 0)
    assert np.abs(layer.out_proj.weight.array).max() <= 1 / math.sqrt(64)  # Linear's init
    assert layer.head_dim == 16 and layer.in_proj_weight.dtype == np.float32
    separate = nn.MultiheadAttention(8, 2, kdim=5, vdim=3, add_bias_kv=True, bias=False,
                                     dtype=mg.float64)
    assert {name: p.shape for name, p in separate.named_parameters()} == {
        "q_proj_weight": (8, 8), "k_proj_weight": (8, 5), "v_proj_weight": (8, 3),
        "bias_k": (1, 1, 8), "bias_v": (1, 1, 8), "out_proj.weight": (8, 8)}
    assert separate.in_proj_weight is None and separate.out_proj.weight.dtype == np.float64
    assert repr(separate) == ("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear("
                              "in_features=8, out_features=8, bias=False)\n)")


@pytest.mark.parametrize("options", [{}, {"add_bias_kv": True, "add_zero_attn": True},
                                     {"kdim": 5, "vdim": 3}, {"bias": False}])
@pytest.mark.parametrize("need_weights", [True, False])
def test_forward_matches_the_formula(options, need_weights):
    layer = nn.MultiheadAttention(E, H, dtype=mg.float64, **options)
    query, key, value = inputs(options.get("kdim", E), options.get("vdim", E))
    out, weights = layer(mg.tensor(query), mg.tensor(key), mg.tensor(value),
                         need_weights=need_weights)
    expected, expected_weights = mha_reference(layer, query, key, value)
    np.testing.assert_allclose(out.array, expected, rtol=1e-10, atol=1e-12)
    if need_weights:
        np.testing.assert_allclose(weights.array, expected_weights.mean(1), rtol=1e-10)
    else:
        assert weights is None


def test_masks_merge_and_block_keys():
    layer = nn.MultiheadAttention(E, H, dtype=mg.float64)
    query, key, value = inputs()
    padding = np.array([[False, False, True, False], [True, False, False, False]])
    attn_mask = rng.standard_normal((L, S))  # float: added to the scores
    out, weights = layer(mg.tensor(query), mg.tensor(key), mg.tensor(value),
                         key_padding_mask=mg.tensor(padding), attn_mask=mg.tensor(attn_mask),
                         average_attn_weights=False)
    mask = attn_mask + np.where(padding, -np.inf, 0.0)[:, None, None, :]
    expected, expected_weights = mha_reference(layer, query, key, value, mask)
    np.testing.assert_allclose(out.array, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(weights.array, expected_weights, rtol=1e-10, atol=1e-15)
    assert np.all(weights.array[0, :, :, 2] == 0) and np.all(weights.array[1, :, :, 0] == 0)
    # a bool (N * H, L, S) attn_mask: True blocks
    blocked = rng.random((N * H, L, S)) > 0.7
    blocked[:, :, 1] = False
    out, _ = layer(mg.tensor(query), mg.tensor(key), mg.tensor(value),
                   attn_mask=mg.tensor(blocked), need_weights=False)
    expected, _ = mha_reference(layer, query, key, value,
                                np.where(blocked, -np.inf, 0.0).reshape(N, H, L, S))
    np.testing.assert_allclose(out.array, expected, rtol=1e-10, atol=1e-12)


def test_fully_masked_query_is_nan_with_weights_and_zero_without_as_pytorch():
    layer = nn.MultiheadAttention(E, H, dtype=mg.float64)
    query, key, value = (mg.tensor(x) for x in inputs())
    padding = mg.tensor(np.array([[False] * S, [True] * S]))
    with np.errstate(invalid="ignore"):
        out, weights = layer(query, key, value, key_padding_mask=padding)
    assert np.all(np.isnan(out.array[:, 1])) and np.all(np.isfinite(out.array[:, 0]))
    out, _ = layer(query, key, value, key_padding_mask=padding, need_weights=False)
    np.testing.assert_array_equal(out.array[:, 1], 0.0)  # out_proj's zero bias


def test_batch_first_and_unbatched_layouts_agree_with_the_default():
    layer = nn.MultiheadAttention(E, H, dtype=mg.float64)
    query, key, value = inputs()
    expected, weights = layer(mg.tensor(query), mg.tensor(key), mg.tensor(value))
    layer.batch_first = True
    out, weights_first = layer(*(mg.tensor(x.transpose(1, 0, 2)) for x in (query, key, value)))
    np.testing.assert_allclose(out.array, expected.array.transpose(1, 0, 2), rtol=1e-12)
    np.testing.assert_allclose(weights_first.array, weights.array, rtol=1e-12)
    single, single_weights = layer(*(mg.tensor(x[:, 1]) for x in (query, key, value)))
    assert single.shape == (L, E) and single_weights.shape == (L, S)
    np.testing.assert_allclose(single.array, expected.array[:, 1], rtol=1e-12)


def test_dropout_only_in_training():
    layer = nn.MultiheadAttention(E, H, dropout=0.5, dtype=mg.float64)
    query, key, value = (mg.tensor(x) for x in inputs())
    _, train_weights = layer(query, key, value, average_attn_weights=False)
    layer.eval()
    _, eval_weights = layer(query, key, value, average_attn_weights=False)
    assert np.sum(train_weights.array == 0) > 0 and np.all(eval_weights.array > 0)


@pytest.mark.parametrize("options", [{"add_bias_kv": True, "add_zero_attn": True},
                                     {"kdim": 3, "vdim": 2}])
def test_gradcheck_and_gradgradcheck(options):
    layer = nn.MultiheadAttention(4, 2, dtype=mg.float64, **options)
    names = [name for name, _ in layer.named_parameters()]
    key_dim, value_dim = options.get("kdim", 4), options.get("vdim", 4)

    def attention(query, key, value, *parameters):
        for name, parameter in zip(names, parameters):
            owner = layer.out_proj if name.startswith("out_proj.") else layer
            setattr(owner, name.split(".")[-1], parameter)
        return layer(query, key, value, need_weights=False)[0]
    args = [leaf(rng.standard_normal(s)) for s in [(2, 1, 4), (3, 1, key_dim), (3, 1, value_dim)]]
    args += [leaf(p.array) for p in layer.parameters()]
    assert mg.gradcheck(attention, args)
    assert mg.gradgradcheck(attention, args)


@pytest.mark.parametrize("call,error,message", [
    (lambda layer: nn.MultiheadAttention(6, 4), ValueError,
     "embed_dim must be divisible by num_heads; got embed_dim=6 and num_heads=4"),
    (lambda layer: nn.MultiheadAttention(0, 1), ValueError, "embed_dim=0"),
    (lambda layer: layer(mg.zeros(3, 2, 6), mg.zeros(4, 2, 8), mg.zeros(4, 2, 8)), ValueError,
     r"embed_dim=8, kdim=8, vdim=8\) got query, key, value of shapes \(3, 2, 6\)"),
    (lambda layer: layer(mg.zeros(3, 2, 8), mg.zeros(4, 8), mg.zeros(4, 8)), ValueError,
     "all 3-D"),
    (lambda layer: layer(mg.zeros(3, 2, 8), mg.zeros(4, 2, 8), mg.zeros(5, 2, 8)), ValueError,
     r"key shape \(4, 2, 8\) does not match value shape \(5, 2, 8\)"),
    (lambda layer: layer(mg.zeros(3, 2, 8), mg.zeros(4, 2, 8), mg.zeros(4, 2, 8),
                         attn_mask=mg.zeros(4, 3)), RuntimeError,
     r"attn_mask of shape \(4, 3\) should be \(L, S\) = \(3, 4\)"),
    (lambda layer: layer(mg.zeros(3, 2, 8), mg.zeros(4, 2, 8), mg.zeros(4, 2, 8),
                         key_padding_mask=mg.zeros(4, 2, dtype=mg.bool)), RuntimeError,
     r"key_padding_mask shape of \(2, 4\), but got \(4, 2\)"),
    (lambda layer: layer(mg.zeros(3, 2, 8), mg.zeros(4, 2, 8), mg.zeros(4, 2, 8),
                         attn_mask=mg.zeros(3, 4, dtype=mg.int64)), TypeError,
     "bool and floating types of attn_mask.*int64"),
    (lambda layer: layer(mg.zeros(3, 2, 8), mg.zeros(4, 2, 8), mg.zeros(4, 2, 8),
                         is_causal=True),
     RuntimeError, "Need attn_mask if specifying the is_causal"),
])
def test_errors_name_the_problem(call, error, message):
    layer = nn.MultiheadAttention(8, 2)
    with pytest.raises(error, match=message):
        call(layer)
