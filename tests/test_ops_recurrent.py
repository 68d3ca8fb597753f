"""The fused recurrent primitives: forward against the LSTM / GRU step formulas in NumPy,
the fast backward against finite differences (gradcheck), the differentiable backward
(used under create_graph) equal to the fast one, and second derivatives (gradgradcheck)."""
import numpy as np
import pytest

import minigrad as mg
from minigrad.ops.recurrent import GRUCellUpdate, LSTMCellUpdate
from conftest import leaf

rng = np.random.default_rng(21)
H = 3


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def lstm_reference(x_gates, h_gates, c):
    i, f, g, o = np.split(x_gates + h_gates, 4, axis=-1)
    c_next = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return np.concatenate([sigmoid(o) * np.tanh(c_next), c_next], axis=-1)


def gru_reference(x_gates, h_gates, h):
    x_r, x_z, x_n = np.split(x_gates, 3, axis=-1)
    h_r, h_z, h_n = np.split(h_gates, 3, axis=-1)
    r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    n = np.tanh(x_n + r * h_n)
    return (1 - z) * n + z * h


CASES = [("lstm", LSTMCellUpdate, lstm_reference, [(2, 4 * H), (2, 4 * H), (2, H)]),
         ("gru", GRUCellUpdate, gru_reference, [(2, 3 * H), (2, 3 * H), (2, H)])]


@pytest.mark.parametrize("name,op,reference,shapes", CASES, ids=[c[0] for c in CASES])
def test_forward_gradients_and_second_derivatives(name, op, reference, shapes):
    arrays = [rng.standard_normal(s) * 1.5 for s in shapes]
    inputs = [leaf(a) for a in arrays]
    np.testing.assert_allclose(op.apply(*inputs).array, reference(*arrays), rtol=1e-12)
    upstream = mg.tensor(rng.standard_normal(op.apply(*inputs).shape))
    fast = mg.autograd.grad(op.apply(*inputs), inputs, upstream)
    differentiable = mg.autograd.grad(op.apply(*inputs), inputs, upstream, create_graph=True)
    for a, b in zip(fast, differentiable):
        assert b.requires_grad
        np.testing.assert_allclose(a.array, b.array, rtol=1e-12, atol=1e-15)
    assert mg.gradcheck(op.apply, inputs)
    assert mg.gradgradcheck(op.apply, inputs)


def test_float32_stays_float32():
    arrays = [rng.standard_normal(s).astype(np.float32) for s in CASES[0][3]]
    inputs = [mg.tensor(a, requires_grad=True) for a in arrays]
    out = LSTMCellUpdate.apply(*inputs)
    out.sum().backward()
    assert out.dtype == np.float32 and all(t.grad.dtype == np.float32 for t in inputs)
