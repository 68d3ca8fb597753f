"""The whole-sequence LSTM and GRU primitives: forward against the formulas in NumPy (float64),
both directions; the fast backward through time against finite differences (gradcheck),
the differentiable backward (used under create_graph) equal to the fast one, second
derivatives (gradgradcheck), float32 kept, and a compiled replay bit-identical to eager."""
import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad.ops.recurrent_sequence import GRUSequence, LSTMSequence
from conftest import leaf

rng = np.random.default_rng(22)
LENGTH, BATCH, H = 4, 2, 3


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def lstm_reference(x_gates, h0, c0, weight_hh, reverse):
    """Hochreiter & Schmidhuber's LSTM, gates i, f, g, o, one step at a time; [h_t | c_t]."""
    h, c, out = h0, c0, np.empty(x_gates.shape[:2] + (2 * H,))
    for t in (range(LENGTH - 1, -1, -1) if reverse else range(LENGTH)):
        i, f, g, o = np.split(x_gates[t] + h @ weight_hh.T, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        out[t] = np.concatenate([h, c], axis=-1)
    return out


def gru_reference(x_gates, h0, weight_hh, bias_hh, reverse):
    """Cho et al.'s GRU as PyTorch writes it (b_hn inside r * (...)), gates r, z, n."""
    h, out = h0, np.empty(x_gates.shape[:2] + (H,))
    for t in (range(LENGTH - 1, -1, -1) if reverse else range(LENGTH)):
        x_r, x_z, x_n = np.split(x_gates[t], 3, axis=-1)
        h_r, h_z, h_n = np.split(h @ weight_hh.T + bias_hh, 3, axis=-1)
        r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
        n = np.tanh(x_n + r * h_n)
        h = (1 - z) * n + z * h
        out[t] = h
    return out


def lstm_arrays():
    return [rng.standard_normal((LENGTH, BATCH, 4 * H)) * 1.5, rng.standard_normal((BATCH, H)),
            rng.standard_normal((BATCH, H)), rng.standard_normal((4 * H, H)) * 0.7]


def gru_arrays():
    return [rng.standard_normal((LENGTH, BATCH, 3 * H)) * 1.5, rng.standard_normal((BATCH, H)),
            rng.standard_normal((3 * H, H)) * 0.7, rng.standard_normal(3 * H)]


CASES = [(op, reference, make, reverse)
         for op, reference, make in [(LSTMSequence, lstm_reference, lstm_arrays),
                                     (GRUSequence, gru_reference, gru_arrays)]
         for reverse in (False, True)]


@pytest.mark.parametrize("op,reference,make,reverse", CASES,
                         ids=[f"{c[0].__name__}-{'reverse' if c[3] else 'forward'}"
                              for c in CASES])
def test_forward_gradients_and_second_derivatives(op, reference, make, reverse):
    values = make()
    inputs = [leaf(a) for a in values]

    def apply(*tensors):
        return op.apply(*tensors, reverse=reverse)
    expected = reference(*values, reverse)
    np.testing.assert_allclose(apply(*inputs).array, expected, rtol=1e-12)
    upstream = mg.tensor(rng.standard_normal(expected.shape))
    fast = mg.autograd.grad(apply(*inputs), inputs, upstream)
    differentiable = mg.autograd.grad(apply(*inputs), inputs, upstream, create_graph=True)
    for a, b in zip(fast, differentiable):
        assert b.requires_grad
        np.testing.assert_allclose(a.array, b.array, rtol=1e-12, atol=1e-14)
    assert mg.gradcheck(apply, inputs)
    assert mg.gradgradcheck(apply, inputs)


def test_one_step_and_inputs_that_need_no_gradient():
    x_gates, h0, c0, weight_hh = lstm_arrays()
    inputs = [leaf(x_gates[:1]), leaf(h0, requires_grad=False), leaf(c0, requires_grad=False),
              leaf(weight_hh)]
    assert mg.gradcheck(LSTMSequence.apply, inputs)
    assert mg.gradgradcheck(LSTMSequence.apply, inputs)


@pytest.mark.parametrize("op,make", [(LSTMSequence, lstm_arrays), (GRUSequence, gru_arrays)])
def test_float32_stays_float32(op, make):
    inputs = [mg.tensor(a.astype(np.float32), requires_grad=True) for a in make()]
    out = op.apply(*inputs)
    out.sum().backward()
    assert out.dtype == np.float32 and all(t.grad.dtype == np.float32 for t in inputs)


@pytest.mark.parametrize("op,make,weight_index", [(LSTMSequence, lstm_arrays, 3),
                                                  (GRUSequence, gru_arrays, 2)])
def test_compiled_replay_is_bit_identical_to_eager(op, make, weight_index):
    batches = [[mg.tensor(a.astype(np.float32)) for a in make()] for _ in range(4)]
    results = []
    for compiled in (False, True):
        weight = mg.tensor(batches[0][weight_index].array.copy(), requires_grad=True)

        def step(*inputs):
            inputs = list(inputs)
            inputs[weight_index] = weight
            out = op.apply(*inputs, reverse=True)
            weight.grad = None
            (out * out).sum().backward()
            return out.detach(), weight.grad.detach()
        run = mg.compile(step) if compiled else step
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback to eager allowed here
            results.append([[t.array.tobytes() for t in run(*b)] for b in batches])
        if compiled:
            assert run.last is not None, "the step was never replayed"
    assert results[0] == results[1]
