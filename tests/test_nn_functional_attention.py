"""F.scaled_dot_product_attention against softmax(Q K^T * scale + M) V computed here in
float64: masks (bool, float, causal with L != S), fully masked rows, broadcasting, grouped
heads, dropout; gradcheck and gradgradcheck; the error paths."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(5)


def attention_reference(q, k, v, additive_mask=0.0, scale=None):
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ np.swapaxes(k, -1, -2) * scale + additive_mask
    top = np.max(scores, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.exp(scores - top)
    total = e.sum(-1, keepdims=True)
    weights = np.divide(e, total, out=np.zeros_like(e), where=total > 0)  # empty rows: 0
    return weights @ v


Q, K, V = (rng.standard_normal(s) for s in [(2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)])
BOOL_MASK = rng.random((4, 5)) > 0.4
BOOL_MASK[1] = False  # a query that may attend to nothing
FLOAT_MASK = rng.standard_normal((2, 1, 4, 5))


def additive(mask):
    return np.where(mask, 0.0, -np.inf)


# name, keyword arguments, the additive mask / scale of the reference
CASES = [
    ("plain", {}, 0.0, None),
    ("scale", {"scale": 0.3}, 0.0, 0.3),
    ("bool_mask", {"attn_mask": mg.tensor(BOOL_MASK)}, additive(BOOL_MASK), None),
    ("float_mask", {"attn_mask": mg.tensor(FLOAT_MASK)}, FLOAT_MASK, None),
    ("causal", {"is_causal": True}, additive(np.tril(np.ones((4, 5), bool))), None),
]


@pytest.mark.parametrize("name,kwargs,mask,scale", CASES, ids=[c[0] for c in CASES])
def test_forward_matches_the_formula(name, kwargs, mask, scale):
    out = F.scaled_dot_product_attention(leaf(Q), leaf(K), leaf(V), **kwargs)
    np.testing.assert_allclose(out.array, attention_reference(Q, K, V, mask, scale),
                               rtol=1e-12, atol=1e-14)


def test_fully_masked_rows_give_zeros_and_zero_gradients_as_pytorch():
    q = leaf(Q)
    out = F.scaled_dot_product_attention(q, leaf(K), leaf(V), attn_mask=mg.tensor(BOOL_MASK))
    assert np.all(out.array[:, :, 1] == 0) and np.all(np.isfinite(out.array))
    out.sum().backward()
    assert np.all(q.grad.array[:, :, 1] == 0) and np.all(np.isfinite(q.grad.array))


def test_causal_mask_is_top_left_aligned_when_there_are_more_queries_than_keys():
    q, k = rng.standard_normal((5, 3)), rng.standard_normal((2, 3))
    out = F.scaled_dot_product_attention(leaf(q), leaf(k), leaf(k), is_causal=True)
    # query 0 sees key 0 only; queries 1.. see both keys
    np.testing.assert_allclose(out.array, attention_reference(
        q, k, k, additive(np.tri(5, 2, dtype=bool))), rtol=1e-12)
    np.testing.assert_allclose(out.array[0], k[0], rtol=1e-12)


def test_batch_dimensions_broadcast():
    q = rng.standard_normal((2, 1, 4, 8))  # one query head shared by all key heads
    out = F.scaled_dot_product_attention(leaf(q), leaf(K), leaf(V))
    assert out.shape == (2, 3, 4, 6)
    np.testing.assert_allclose(out.array, attention_reference(q, K, V), rtol=1e-12)


def test_grouped_query_attention_shares_each_key_head_among_consecutive_query_heads():
    q = rng.standard_normal((2, 4, 3, 8))
    out = F.scaled_dot_product_attention(leaf(q), leaf(K[:, :2]), leaf(V[:, :2]),
                                         enable_gqa=True)
    expected = attention_reference(q, np.repeat(K[:, :2], 2, axis=1),
                                   np.repeat(V[:, :2], 2, axis=1))
    np.testing.assert_allclose(out.array, expected, rtol=1e-12)


def test_dropout_zeroes_attention_weights_and_rescales_the_rest():
    v = np.eye(5)[None]  # the output row is then the (dropped) weight row itself
    q, k = rng.standard_normal((1, 200, 4)), rng.standard_normal((1, 5, 4))
    out = F.scaled_dot_product_attention(leaf(q), leaf(k), leaf(v), dropout_p=0.25).array
    weights = attention_reference(q, k, v)
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.05
    np.testing.assert_allclose(out[kept], weights[kept] / 0.75, rtol=1e-12)


@pytest.mark.parametrize("name,kwargs", [(c[0], c[1]) for c in CASES if c[0] != "bool_mask"]
                         + [("gqa", {"enable_gqa": True})])
def test_gradcheck_and_gradgradcheck(name, kwargs):
    q, k, v = (rng.standard_normal(s) for s in [(1, 2, 4, 3), (1, 2, 5, 3), (1, 2, 5, 2)])
    if name == "gqa":
        k, v = k[:, :1], v[:, :1]
    if name == "float_mask":
        kwargs = {"attn_mask": leaf(rng.standard_normal((4, 5)))}  # the mask is differentiable

    def attention(q, k, v):
        return F.scaled_dot_product_attention(q, k, v, **kwargs)
    inputs = [leaf(q), leaf(k), leaf(v)]
    assert mg.gradcheck(attention, inputs)
    assert mg.gradgradcheck(attention, inputs)


def test_bool_mask_gradcheck_with_a_partly_masked_row():
    mask = mg.tensor(np.array([[True, False, True], [False, True, True]]))

    def attention(q, k, v):
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    inputs = [leaf(rng.standard_normal(s)) for s in [(2, 3), (3, 3), (3, 2)]]
    assert mg.gradcheck(attention, inputs)
    assert mg.gradgradcheck(attention, inputs)


@pytest.mark.parametrize("call,error,message", [
    (lambda: F.scaled_dot_product_attention(mg.zeros(3, 4), mg.zeros(5, 3), mg.zeros(5, 2)),
     ValueError, r"\(3, 4\), key \(\.\.\., S, E\) \(5, 3\).*do not agree"),
    (lambda: F.scaled_dot_product_attention(mg.zeros(3, 4), mg.zeros(5, 4), mg.zeros(6, 2)),
     ValueError, r"value \(\.\.\., S, Ev\) \(6, 2\)"),
    (lambda: F.scaled_dot_product_attention(mg.zeros(4), mg.zeros(5, 4), mg.zeros(5, 2)),
     ValueError, r"at least 2 dimensions.*\(4,\)"),
    (lambda: F.scaled_dot_product_attention(mg.zeros(3, 4), mg.zeros(3, 4), mg.zeros(3, 4),
                                            attn_mask=mg.ones(3, 3), is_causal=True),
     RuntimeError, "Explicit attn_mask should not be set when is_causal=True"),
    (lambda: F.scaled_dot_product_attention(mg.zeros(1, 3, 2, 4), mg.zeros(1, 2, 2, 4),
                                            mg.zeros(1, 2, 2, 4), enable_gqa=True),
     ValueError, "query's 3 heads must be a multiple of the key's 2"),
])
def test_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()
