"""Every differentiable operation: forward against NumPy, gradcheck, gradgradcheck.

One row per op; each row says how to build the inputs, what minigrad computes and what
NumPy computes for the same numbers.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minigrad as mg
from conftest import leaf

rng = np.random.default_rng(1234)


def normal(*shape):
    return rng.standard_normal(shape)


def positive(*shape):
    return rng.uniform(0.5, 2.0, shape)


def distinct(*shape):
    # Well-separated values, so max/min/abs/relu are away from their kinks.
    values = rng.permutation(np.prod(shape, dtype=int)).reshape(shape).astype(float)
    return (values - values.size / 2 + 0.5) * 0.3


def _set_column(a, v):
    out = a * 1.0
    out[:, 1] = v
    return out


def _add_to_row(a, b):
    out = a * 1.0
    out[1] += b  # a view changed in place, then written back
    return out


def softmax_ref(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# (name, input arrays, minigrad function, NumPy reference)
CASES = [
    ("add", [normal(3, 4), normal(3, 4)], lambda a, b: a + b, np.add),
    ("add_broadcast", [normal(3, 1, 4), normal(5, 1)], lambda a, b: a + b, np.add),
    ("add_scalar", [normal(3)], lambda a: 2.5 + a, lambda a: 2.5 + a),
    ("sub_broadcast", [normal(2, 3), normal(3)], lambda a, b: a - b, np.subtract),
    ("rsub_scalar", [normal(3)], lambda a: 1.0 - a, lambda a: 1.0 - a),
    ("mul_broadcast", [normal(4, 1), normal(1, 3)], lambda a, b: a * b, np.multiply),
    ("div", [normal(3, 2), positive(3, 2)], lambda a, b: a / b, np.divide),
    ("rdiv_scalar", [positive(4)], lambda a: 2.0 / a, lambda a: 2.0 / a),
    ("neg", [normal(2, 3)], lambda a: -a, np.negative),
    ("pow_scalar", [positive(3, 2)], lambda a: a ** 3, lambda a: a ** 3),
    ("pow_tensor", [positive(3), normal(3)], lambda a, b: a ** b, np.power),
    ("rpow", [normal(3)], lambda a: 2.0 ** a, lambda a: 2.0 ** a),
    ("exp", [normal(2, 3)], lambda a: a.exp(), np.exp),
    ("log", [positive(2, 3)], lambda a: a.log(), np.log),
    ("sqrt", [positive(4)], lambda a: a.sqrt(), np.sqrt),
    ("abs", [distinct(2, 3)], lambda a: a.abs(), np.abs),
    ("tanh", [normal(5)], lambda a: a.tanh(), np.tanh),
    ("sigmoid", [normal(5) * 3], lambda a: a.sigmoid(), lambda a: 1 / (1 + np.exp(-a))),
    ("relu", [distinct(3, 4)], lambda a: a.relu(), lambda a: np.maximum(a, 0)),
    ("clamp", [distinct(3, 4)], lambda a: a.clamp(-0.5, 0.7), lambda a: np.clip(a, -0.5, 0.7)),
    ("clamp_min", [distinct(6)], lambda a: a.clamp(min=0.1), lambda a: np.maximum(a, 0.1)),
    ("maximum", [distinct(3, 4), distinct(4) + 0.05], mg.maximum, np.maximum),
    ("minimum", [distinct(3, 4), distinct(4) + 0.05], mg.minimum, np.minimum),
    ("where", [normal(3, 4), normal(4)],
     lambda a, b: mg.where(a > 0, a, b), lambda a, b: np.where(a > 0, a, b)),
    ("matmul_2d", [normal(3, 4), normal(4, 5)], lambda a, b: a @ b, np.matmul),
    ("matmul_vec_mat", [normal(4), normal(4, 5)], lambda a, b: a @ b, np.matmul),
    ("matmul_mat_vec", [normal(3, 4), normal(4)], lambda a, b: a @ b, np.matmul),
    ("matmul_vec_vec", [normal(4), normal(4)], lambda a, b: a @ b, np.matmul),
    ("matmul_batched", [normal(2, 3, 4), normal(4, 5)], lambda a, b: a @ b, np.matmul),
    ("matmul_batched_broadcast", [normal(2, 1, 3, 4), normal(3, 4, 2)], mg.matmul, np.matmul),
    ("matmul_batched_vec", [normal(2, 3, 4), normal(4)], lambda a, b: a @ b, np.matmul),
    ("linear_fused", [normal(4, 3), normal(5, 3), normal(5)],
     lambda x, w, b: mg.nn.functional.linear(x, w, b), lambda x, w, b: x @ w.T + b),
    ("linear_fused_no_bias_3d", [normal(2, 4, 3), normal(5, 3)],
     lambda x, w: mg.nn.functional.linear(x, w), lambda x, w: x @ w.T),
    ("sum_all", [normal(3, 4)], lambda a: a.sum(), np.sum),
    ("sum_dim", [normal(3, 4, 2)], lambda a: a.sum(1), lambda a: a.sum(1)),
    ("sum_dims_keepdim", [normal(3, 4, 2)], lambda a: a.sum((0, 2), keepdim=True),
     lambda a: a.sum((0, 2), keepdims=True)),
    ("mean", [normal(3, 4)], lambda a: a.mean(-1), lambda a: a.mean(-1)),
    ("var_unbiased", [normal(3, 4)], lambda a: a.var(1), lambda a: a.var(1, ddof=1)),
    ("var_biased", [normal(3, 4)], lambda a: a.var(0, unbiased=False), lambda a: a.var(0)),
    ("var_correction", [normal(5)], lambda a: a.var(correction=2), lambda a: a.var(ddof=2)),
    ("std", [normal(3, 4)], lambda a: a.std(1, keepdim=True),
     lambda a: a.std(1, ddof=1, keepdims=True)),
    ("max_all", [distinct(3, 4)], lambda a: a.max(), np.max),
    ("max_dim", [distinct(3, 4)], lambda a: a.max(1).values, lambda a: a.max(1)),
    ("min_dim_keepdim", [distinct(3, 4)], lambda a: a.min(0, keepdim=True)[0],
     lambda a: a.min(0, keepdims=True)),
    ("amax", [distinct(2, 3, 4)], lambda a: a.amax((0, 2)), lambda a: a.max((0, 2))),
    ("amin", [distinct(2, 3)], lambda a: a.amin(-1), lambda a: a.min(-1)),
    ("logsumexp", [normal(3, 5)], lambda a: a.logsumexp(1),
     lambda a: np.log(np.exp(a).sum(1))),
    ("softmax", [normal(3, 5)], lambda a: a.softmax(1), lambda a: softmax_ref(a, 1)),
    ("log_softmax", [normal(3, 5)], lambda a: a.log_softmax(0),
     lambda a: np.log(softmax_ref(a, 0))),
    ("reshape", [normal(3, 4)], lambda a: a.reshape(2, 6), lambda a: a.reshape(2, 6)),
    ("reshape_tuple", [normal(3, 4)], lambda a: a.reshape((4, -1)), lambda a: a.reshape(4, 3)),
    ("view", [normal(2, 3)], lambda a: a.view(6), lambda a: a.reshape(6)),
    ("flatten", [normal(2, 3, 4)], lambda a: a.flatten(1), lambda a: a.reshape(2, 12)),
    ("transpose", [normal(2, 3, 4)], lambda a: a.transpose(0, 2), lambda a: a.swapaxes(0, 2)),
    ("permute", [normal(2, 3, 4)], lambda a: a.permute(1, 0, 2),
     lambda a: a.transpose(1, 0, 2)),
    ("T", [normal(2, 3)], lambda a: a.T, lambda a: a.T),
    ("squeeze", [normal(2, 1, 3, 1)], lambda a: a.squeeze(), lambda a: a.squeeze()),
    ("squeeze_dim", [normal(2, 1, 3)], lambda a: a.squeeze(1), lambda a: a.squeeze(1)),
    ("unsqueeze", [normal(2, 3)], lambda a: a.unsqueeze(-1), lambda a: a[..., None]),
    ("expand", [normal(3, 1)], lambda a: a.expand(2, 3, 4),
     lambda a: np.broadcast_to(a, (2, 3, 4))),
    ("expand_keep", [normal(3, 1)], lambda a: a.expand(-1, 4), lambda a: np.broadcast_to(a, (3, 4))),
    ("broadcast_to", [normal(4)], lambda a: a.broadcast_to((3, 4)),
     lambda a: np.broadcast_to(a, (3, 4))),
    ("getitem_slice", [normal(4, 5)], lambda a: a[1:3, ::2], lambda a: a[1:3, ::2]),
    ("getitem_int", [normal(4, 5)], lambda a: a[2], lambda a: a[2]),
    ("getitem_none_ellipsis", [normal(4, 5)], lambda a: a[None, ..., 1], lambda a: a[None, ..., 1]),
    ("getitem_fancy_repeated", [normal(4, 3)], lambda a: a[[0, 2, 0, 0]],
     lambda a: a[[0, 2, 0, 0]]),
    ("getitem_fancy_pairs", [normal(4, 3)], lambda a: a[[0, 1, 1], [2, 0, 0]],
     lambda a: a[[0, 1, 1], [2, 0, 0]]),
    ("getitem_bool_mask", [normal(5)], lambda a: a[a > 0], lambda a: a[a > 0]),
    ("gather", [normal(3, 4)], lambda a: a.gather(1, mg.tensor([[0, 0], [3, 1], [2, 2]])),
     lambda a: np.take_along_axis(a, np.array([[0, 0], [3, 1], [2, 2]]), 1)),
    ("cat", [normal(2, 3), normal(4, 3)], lambda a, b: mg.cat([a, b], 0),
     lambda a, b: np.concatenate([a, b], 0)),
    ("cat_dim1", [normal(2, 3), normal(2, 1)], lambda a, b: mg.cat([a, b], dim=-1),
     lambda a, b: np.concatenate([a, b], 1)),
    ("stack", [normal(2, 3), normal(2, 3)], lambda a, b: mg.stack([a, b], 1),
     lambda a, b: np.stack([a, b], 1)),
    ("pad", [normal(2, 3)], lambda a: mg.pad(a, (1, 2)),
     lambda a: np.pad(a, [(0, 0), (1, 2)])),
    ("pad_two_dims_value", [normal(2, 3)], lambda a: mg.pad(a, (0, 1, 2, 0), value=5.0),
     lambda a: np.pad(a, [(2, 0), (0, 1)], constant_values=5.0)),
    ("clone", [normal(3)], lambda a: a.clone(), lambda a: a.copy()),
    # In-place ops on a computed tensor: SetItem and Copy, and rebased histories.
    ("setitem", [normal(3, 4), normal(3)], lambda a, v: _set_column(a, v),
     lambda a, v: np.concatenate([a[:, :1], v[:, None], a[:, 2:]], 1)),
    ("copy_", [normal(3, 4), normal(4)], lambda a, s: (a * 1.0).copy_(s),
     lambda a, s: np.broadcast_to(s, a.shape)),
    ("relu_", [distinct(3, 4)], lambda a: (a * 1.0).relu_(), lambda a: np.maximum(a, 0)),
    ("mul_by_tensor", [normal(3), normal(3)], lambda a, b: (a * 1.0).mul_(b), np.multiply),
    ("iadd_into_slice", [normal(3, 4), normal(4)], lambda a, b: _add_to_row(a, b),
     lambda a, b: a + np.array([0.0, 1.0, 0.0])[:, None] * b),
    ("composite_mlp", [normal(4, 3), normal(3, 5), normal(5)],
     lambda x, w, b: ((x @ w + b).tanh() ** 2).mean(),
     lambda x, w, b: (np.tanh(x @ w + b) ** 2).mean()),
]


@pytest.mark.parametrize("name,arrays,fn,reference", CASES, ids=[c[0] for c in CASES])
def test_forward_matches_numpy(name, arrays, fn, reference):
    out = fn(*[leaf(a) for a in arrays])
    np.testing.assert_allclose(out.array, reference(*arrays), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name,arrays,fn,reference", CASES, ids=[c[0] for c in CASES])
def test_gradcheck(name, arrays, fn, reference):
    assert mg.gradcheck(fn, [leaf(a) for a in arrays])


@pytest.mark.parametrize("name,arrays,fn,reference", CASES, ids=[c[0] for c in CASES])
def test_gradgradcheck(name, arrays, fn, reference):
    assert mg.gradgradcheck(fn, [leaf(a) for a in arrays])


BINARY_OPS = [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b),
              ("mul", lambda a, b: a * b), ("div", lambda a, b: a / (b * b + 1.0)),
              ("maximum", mg.maximum), ("minimum", mg.minimum),
              ("pow", lambda a, b: (a * a + 0.5) ** b),
              ("where", lambda a, b: mg.where(a.detach() > 0, a, b))]


@st.composite
def broadcastable_shapes(draw):
    shape = draw(st.lists(st.integers(1, 3), min_size=0, max_size=3))
    other = [draw(st.sampled_from([n, 1])) for n in shape]
    drop = draw(st.integers(0, len(other)))
    return tuple(shape), tuple(other[drop:])


@pytest.mark.parametrize("name,op", BINARY_OPS, ids=[n for n, _ in BINARY_OPS])
@settings(max_examples=15, deadline=None)
@given(shapes=broadcastable_shapes(), swap=st.booleans())
def test_binary_ops_broadcast_gradients(name, op, shapes, swap):
    a_shape, b_shape = shapes[::-1] if swap else shapes
    a = leaf(rng.standard_normal(a_shape))
    b = leaf(rng.standard_normal(b_shape) + 0.01)  # ties would put maximum on its kink
    out = op(a, b)
    assert out.shape == np.broadcast_shapes(a_shape, b_shape)
    assert mg.gradcheck(op, [a, b])
    out.sum().backward()
    assert a.grad.shape == a_shape and b.grad.shape == b_shape


def test_max_ties_split_evenly_but_max_dim_picks_one():
    a = leaf([[2.0, 2.0, 1.0]])
    a.max().backward()
    np.testing.assert_array_equal(a.grad.array, [[0.5, 0.5, 0.0]])
    a.grad = None
    a.amax(1).sum().backward()
    np.testing.assert_array_equal(a.grad.array, [[0.5, 0.5, 0.0]])
    a.grad = None
    values, indices = a.max(1)
    values.sum().backward()
    assert indices.tolist() == [0]
    np.testing.assert_array_equal(a.grad.array, [[1.0, 0.0, 0.0]])


def test_maximum_tie_splits_gradient():
    a, b = leaf([1.0, 2.0]), leaf([1.0, 0.0])
    mg.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.array, [0.5, 1.0])
    np.testing.assert_array_equal(b.grad.array, [0.5, 0.0])


def test_fancy_index_backward_accumulates_repeats():
    a = leaf(np.zeros(4))
    a[[0, 0, 3, 0]].sum().backward()
    np.testing.assert_array_equal(a.grad.array, [3.0, 0.0, 0.0, 1.0])


@pytest.mark.parametrize("scale", [1.0, 1e4, 1e8, 1e30])
def test_log_softmax_and_logsumexp_are_stable(scale):
    x = np.array([[1.0, -2.0, 0.5], [3.0, 3.0, -1.0]]) * scale
    for dtype in (np.float32, np.float64):
        t = mg.Tensor(x.astype(dtype))
        out = t.log_softmax(1).array
        assert np.all(np.isfinite(out) | (out == -np.inf))
        lse = t.logsumexp(1).array
        expected = x.max(1) + np.log(np.exp(x - x.max(1, keepdims=True)).sum(1))
        np.testing.assert_allclose(lse, expected, rtol=1e-6)
        assert np.all(np.isfinite(t.softmax(1).array))


def test_logsumexp_of_all_minus_infinity_is_minus_infinity():
    assert mg.tensor([-np.inf, -np.inf]).logsumexp(0).item() == -np.inf


def test_comparisons_and_argmax_carry_no_gradient():
    a = leaf([1.0, 3.0, 2.0])
    for result in (a > 1.5, a == a, a <= 2.0, a.argmax(), a.argmin(0)):
        assert not result.requires_grad and result.grad_fn is None
    assert (a > 1.5).dtype == np.bool_
    assert a.argmax().item() == 1 and a.argmax().dtype == np.int64


@pytest.mark.parametrize("name,arrays,fn,reference", CASES, ids=[c[0] for c in CASES])
def test_ops_do_not_mutate_their_inputs(name, arrays, fn, reference):
    tensors = [leaf(a.copy()) for a in arrays]
    originals = [t.array.copy() for t in tensors]
    out = fn(*tensors)
    out.backward(mg.Tensor(np.ones(out.shape)))
    for tensor, original in zip(tensors, originals):
        np.testing.assert_array_equal(tensor.array, original)


def test_reducing_a_0d_tensor_over_dim_0_or_minus_1_is_allowed_like_pytorch():
    x = leaf(3.0)
    for dim in (0, -1, None):
        out = x.sum(dim)
        assert out.shape == () and out.item() == 3.0
        assert x.amax(dim).item() == 3.0 and x.mean(dim).item() == 3.0
    with pytest.raises(IndexError, match="dimension 1 is out of range"):
        x.sum(1)
