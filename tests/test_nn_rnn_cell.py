"""RNNCell, LSTMCell, GRUCell: PyTorch's parameters and init, one step against the formulas
written here in NumPy (float64), batched and unbatched, zero default states; gradcheck and
gradgradcheck; the error paths."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from conftest import leaf
from test_nn_rnn import np_gru_step, np_lstm_step, np_rnn_step

rng = np.random.default_rng(17)


@pytest.mark.parametrize("cls,gates", [(nn.RNNCell, 1), (nn.LSTMCell, 4), (nn.GRUCell, 3)])
def test_parameters_and_init(cls, gates):
    cell = cls(10, 20)
    assert {n: p.shape for n, p in cell.named_parameters()} == {
        "weight_ih": (gates * 20, 10), "weight_hh": (gates * 20, 20),
        "bias_ih": (gates * 20,), "bias_hh": (gates * 20,)}
    bound = 1 / math.sqrt(20)
    assert all(np.abs(p.array).max() <= bound for p in cell.parameters())
    assert [n for n, _ in cls(3, 4, bias=False).named_parameters()] == ["weight_ih", "weight_hh"]


CASES = [(nn.RNNCell, {"nonlinearity": "relu"}, np_rnn_step), (nn.RNNCell, {}, np_rnn_step),
         (nn.LSTMCell, {}, np_lstm_step), (nn.GRUCell, {"bias": False}, np_gru_step)]


@pytest.mark.parametrize("cls,options,reference", CASES)
def test_one_step_matches_the_formula(cls, options, reference):
    cell = cls(3, 4, dtype=mg.float64, **options)
    p = {name: t.array for name, t in cell.named_parameters()}
    weights = [p.get(name, 0.0) for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    extra = (cell.nonlinearity,) if cls is nn.RNNCell else ()
    x, h, c = (rng.standard_normal(s) for s in [(2, 3), (2, 4), (2, 4)])
    state = (h, c) if cls is nn.LSTMCell else (h,)
    expected = reference(x, state, *weights, *extra)
    hx = (mg.tensor(h), mg.tensor(c)) if cls is nn.LSTMCell else mg.tensor(h)
    got = cell(mg.tensor(x), hx)
    got = got if cls is nn.LSTMCell else (got,)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.array, e, rtol=1e-12, atol=1e-14)
    # unbatched input and the zero default state
    zero_state = tuple(np.zeros((1, 4)) for _ in state)
    expected = reference(x[:1], zero_state, *weights, *extra)
    got = cell(mg.tensor(x[0]))
    got = got if cls is nn.LSTMCell else (got,)
    for g, e in zip(got, expected):
        assert g.shape == (4,)
        np.testing.assert_allclose(g.array, e[0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cls", [nn.RNNCell, nn.LSTMCell, nn.GRUCell])
def test_gradcheck_and_gradgradcheck(cls):
    cell = cls(2, 3, dtype=mg.float64)
    names = [name for name, _ in cell.named_parameters()]

    def step(x, h, *parameters):
        for name, parameter in zip(names, parameters):
            setattr(cell, name, parameter)
        return cell(x, (h, h * 2.0)) if cls is nn.LSTMCell else cell(x, h)
    args = [leaf(rng.standard_normal((2, 2))), leaf(rng.standard_normal((2, 3)))]
    args += [leaf(p.array) for p in cell.parameters()]
    assert mg.gradcheck(step, args)
    assert mg.gradgradcheck(step, args)


@pytest.mark.parametrize("layer,text", [
    (nn.RNNCell(3, 4, False, "relu"), "RNNCell(3, 4, bias=False, nonlinearity=relu)"),
    (nn.LSTMCell(3, 4), "LSTMCell(3, 4)"), (nn.GRUCell(3, 4), "GRUCell(3, 4)")])
def test_repr(layer, text):
    assert repr(layer) == text


@pytest.mark.parametrize("call,error,message", [
    (lambda: nn.RNNCell(3, 4, nonlinearity="gelu"), ValueError, "Unknown nonlinearity: gelu"),
    (lambda: nn.LSTMCell(3, 4)(mg.zeros(2, 2, 3)), ValueError,
     "LSTMCell: Expected input to be 1D or 2D, got 3D instead"),
    (lambda: nn.GRUCell(3, 4)(mg.zeros(2, 5)), RuntimeError,
     "input has inconsistent input_size: got 5 expected 3"),
    (lambda: nn.LSTMCell(3, 4)(mg.zeros(2, 3), (mg.zeros(3, 4), mg.zeros(3, 4))), RuntimeError,
     "Input batch size 2 doesn't match hidden0 batch size 3"),
    (lambda: nn.GRUCell(3, 4)(mg.zeros(2, 3), mg.zeros(2, 5)), RuntimeError,
     "hidden0 has inconsistent hidden_size: got 5, expected 4"),
    (lambda: nn.RNNCell(3, 4, dtype=mg.int32), TypeError, "floating dtype"),
])
def test_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()
