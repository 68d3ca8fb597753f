"""The whole-sequence LSTM primitive: forward against the LSTM formulas in NumPy (float64),
both directions; the fast backward through time against finite differences (gradcheck),
the differentiable backward (used under create_graph) equal to the fast one, second
derivatives (gradgradcheck), float32 kept, and a compiled replay bit-identical to eager."""
import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad.ops.recurrent_sequence import LSTMSequence
from conftest import leaf

rng = np.random.default_rng(22)
LENGTH, BATCH, H = 4, 2, 3


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def lstm_reference(x_gates, h0, c0, weight_hh, reverse):
    """Hochreiter & Schmidhuber's LSTM, gates i, f, g, o, one step at a time."""
    h, c, out = h0, c0, np.empty(x_gates.shape[:2] + (2 * H,))
    for t in (range(LENGTH - 1, -1, -1) if reverse else range(LENGTH)):
        i, f, g, o = np.split(x_gates[t] + h @ weight_hh.T, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        out[t] = np.concatenate([h, c], axis=-1)
    return out


def arrays():
    return [rng.standard_normal((LENGTH, BATCH, 4 * H)) * 1.5, rng.standard_normal((BATCH, H)),
            rng.standard_normal((BATCH, H)), rng.standard_normal((4 * H, H)) * 0.7]


@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "reverse"])
def test_forward_gradients_and_second_derivatives(reverse):
    values = arrays()
    inputs = [leaf(a) for a in values]

    def op(*tensors):
        return LSTMSequence.apply(*tensors, reverse=reverse)
    np.testing.assert_allclose(op(*inputs).array, lstm_reference(*values, reverse), rtol=1e-12)
    upstream = mg.tensor(rng.standard_normal((LENGTH, BATCH, 2 * H)))
    fast = mg.autograd.grad(op(*inputs), inputs, upstream)
    differentiable = mg.autograd.grad(op(*inputs), inputs, upstream, create_graph=True)
    for a, b in zip(fast, differentiable):
        assert b.requires_grad
        np.testing.assert_allclose(a.array, b.array, rtol=1e-12, atol=1e-14)
    assert mg.gradcheck(op, inputs)
    assert mg.gradgradcheck(op, inputs)


def test_one_step_and_inputs_that_need_no_gradient():
    x_gates, h0, c0, weight_hh = arrays()
    inputs = [leaf(x_gates[:1]), leaf(h0, requires_grad=False), leaf(c0, requires_grad=False),
              leaf(weight_hh)]
    assert mg.gradcheck(LSTMSequence.apply, inputs)
    assert mg.gradgradcheck(LSTMSequence.apply, inputs)


def test_float32_stays_float32():
    inputs = [mg.tensor(a.astype(np.float32), requires_grad=True) for a in arrays()]
    out = LSTMSequence.apply(*inputs)
    out.sum().backward()
    assert out.dtype == np.float32 and all(t.grad.dtype == np.float32 for t in inputs)


def test_compiled_replay_is_bit_identical_to_eager():
    steps = [[mg.tensor(a.astype(np.float32)) for a in arrays()] for _ in range(4)]
    results = []
    for compiled in (False, True):
        weight = mg.tensor(steps[0][3].array.copy(), requires_grad=True)

        def step(x_gates, h0, c0, _):
            out = LSTMSequence.apply(x_gates, h0, c0, weight, reverse=True)
            weight.grad = None
            (out * out).sum().backward()
            return out.detach(), weight.grad.detach()
        run = mg.compile(step) if compiled else step
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback to eager allowed here
            results.append([[t.array.tobytes() for t in run(*s)] for s in steps])
        if compiled:
            assert run.last is not None, "the step was never replayed"
    assert results[0] == results[1]
