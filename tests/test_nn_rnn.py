"""nn.RNN, nn.LSTM, nn.GRU: parameter names, shapes and init as PyTorch; outputs and final
states against the step formulas written here in NumPy (float64), every layout (batch_first,
unbatched, bidirectional, stacked, given initial states); gradcheck and gradgradcheck
through time; inter-layer dropout; the error paths."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from conftest import leaf

rng = np.random.default_rng(13)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_rnn_step(x, state, w_ih, w_hh, b_ih, b_hh, nonlinearity="tanh"):
    pre = x @ w_ih.T + b_ih + state[0] @ w_hh.T + b_hh
    return (np.tanh(pre) if nonlinearity == "tanh" else np.maximum(pre, 0),)


def np_lstm_step(x, state, w_ih, w_hh, b_ih, b_hh):
    h, c = state
    i, f, g, o = np.split(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh, 4, axis=-1)  # PyTorch's order
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def np_gru_step(x, state, w_ih, w_hh, b_ih, b_hh):
    h = state[0]
    x_r, x_z, x_n = np.split(x @ w_ih.T + b_ih, 3, axis=-1)
    h_r, h_z, h_n = np.split(h @ w_hh.T + b_hh, 3, axis=-1)
    r, z = sigmoid(x_r + h_r), sigmoid(x_z + h_z)
    n = np.tanh(x_n + r * h_n)
    return ((1 - z) * n + z * h,)


STEPS = {"RNN": np_rnn_step, "LSTM": np_lstm_step, "GRU": np_gru_step}


def np_recurrent(layer, x, states):
    """x (L, N, I); states a tuple of (layers * directions, N, H) arrays."""
    p = {name: t.array.astype(np.float64) for name, t in layer.named_parameters()}
    kind = type(layer).__name__
    directions = 2 if layer.bidirectional else 1
    finals = [[] for _ in states]
    for k in range(layer.num_layers):
        outputs = []
        for d, suffix in enumerate(["", "_reverse"][:directions]):
            weights = [p.get(f"{name}_l{k}{suffix}", 0.0)
                       for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
            state = tuple(s[k * directions + d] for s in states)
            out = [None] * len(x)
            for t in (reversed(range(len(x))) if d else range(len(x))):
                extra = (layer.nonlinearity,) if kind == "RNN" else ()
                state = STEPS[kind](x[t], state, *weights, *extra)
                out[t] = state[0]
            outputs.append(np.stack(out))
            for kept, s in zip(finals, state):
                kept.append(s)
        x = np.concatenate(outputs, axis=-1)
    return x, tuple(np.stack(kept) for kept in finals)


@pytest.mark.parametrize("cls,gates", [(nn.RNN, 1), (nn.LSTM, 4), (nn.GRU, 3)])
def test_parameter_names_shapes_and_init(cls, gates):
    layer = cls(10, 20, num_layers=2, bidirectional=True)
    names = [f"{kind}_l{k}{suffix}" for k in range(2) for suffix in ("", "_reverse")
             for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    assert [name for name, _ in layer.named_parameters()] == names
    assert layer.weight_ih_l0.shape == (gates * 20, 10)
    assert layer.weight_ih_l1_reverse.shape == (gates * 20, 40)  # both directions' outputs
    assert layer.weight_hh_l1.shape == (gates * 20, 20) and layer.bias_hh_l0.shape == (gates * 20,)
    bound = 1 / math.sqrt(20)
    for p in layer.parameters():
        assert p.dtype == np.float32 and np.abs(p.array).max() <= bound
    assert np.abs(layer.weight_ih_l1.array).max() > 0.9 * bound
    assert [name for name, _ in cls(3, 4, bias=False).named_parameters()] == ["weight_ih_l0",
                                                                              "weight_hh_l0"]
    assert len(layer.all_weights) == 4 and layer.all_weights[1][0] is layer.weight_ih_l0_reverse


CONFIGS = [
    (nn.RNN, {}), (nn.RNN, {"nonlinearity": "relu", "num_layers": 2, "bidirectional": True}),
    (nn.LSTM, {}), (nn.LSTM, {"num_layers": 2, "bidirectional": True}),
    (nn.GRU, {}), (nn.GRU, {"num_layers": 2, "bidirectional": True, "bias": False}),
]


@pytest.mark.parametrize("cls,options", CONFIGS)
@pytest.mark.parametrize("given_states", [False, True])
def test_outputs_match_the_step_formulas(cls, options, given_states):
    layer = cls(3, 4, dtype=mg.float64, **options)
    x = rng.standard_normal((5, 2, 3))
    directions = 2 if options.get("bidirectional") else 1
    shape = (options.get("num_layers", 1) * directions, 2, 4)
    count = 2 if cls is nn.LSTM else 1
    states = tuple(rng.standard_normal(shape) if given_states else np.zeros(shape)
                   for _ in range(count))
    hx = None if not given_states else (
        tuple(mg.tensor(s) for s in states) if count == 2 else mg.tensor(states[0]))
    output, final = layer(mg.tensor(x), hx)
    expected, expected_final = np_recurrent(layer, x, states)
    np.testing.assert_allclose(output.array, expected, rtol=1e-12, atol=1e-14)
    final = final if count == 2 else (final,)
    for got, want in zip(final, expected_final):
        np.testing.assert_allclose(got.array, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_batch_first_and_unbatched_layouts(cls):
    layer = cls(3, 4, num_layers=2, dtype=mg.float64)
    x = mg.tensor(rng.standard_normal((6, 2, 3)))
    output, final = layer(x)
    layer.batch_first = True
    output_first, final_first = layer(x.transpose(0, 1))
    np.testing.assert_allclose(output_first.array, output.array.transpose(1, 0, 2), rtol=1e-12)
    h, h_first = (final[0], final_first[0]) if cls is nn.LSTM else (final, final_first)
    np.testing.assert_allclose(h_first.array, h.array, rtol=1e-12)  # h_n is never batch first
    single, single_final = layer(x[:, 1])  # unbatched (L, I): batch_first does not apply
    assert single.shape == (6, 4)
    np.testing.assert_allclose(single.array, output.array[:, 1], rtol=1e-12)
    h_single = single_final[0] if cls is nn.LSTM else single_final
    assert h_single.shape == (2, 4)
    np.testing.assert_allclose(h_single.array, h.array[:, 1], rtol=1e-12)


@pytest.mark.parametrize("cls,options", [(nn.RNN, {"bidirectional": True}),
                                         (nn.LSTM, {"num_layers": 2}), (nn.GRU, {})])
def test_gradcheck_and_gradgradcheck_through_time(cls, options):
    layer = cls(2, 2, dtype=mg.float64, **options)
    names = [name for name, _ in layer.named_parameters()]

    def run(x, h0, *parameters):
        for name, parameter in zip(names, parameters):
            setattr(layer, name, parameter)
        hx = (h0, h0 * 0.5) if cls is nn.LSTM else h0
        output, final = layer(x, hx)
        return output, (final[1] if cls is nn.LSTM else final)
    directions = 2 if options.get("bidirectional") else 1
    # 4 steps: cut as 2 blocks of 2 (functional.recurrent.time_steps)
    args = [leaf(rng.standard_normal((4, 1, 2))),
            leaf(rng.standard_normal((options.get("num_layers", 1) * directions, 1, 2)))]
    args += [leaf(p.array) for p in layer.parameters()]
    assert mg.gradcheck(run, args)
    assert mg.gradgradcheck(run, args)


def test_dropout_between_layers_only_in_training():
    layer = nn.GRU(3, 4, num_layers=2, dropout=0.5, dtype=mg.float64)
    x = mg.tensor(rng.standard_normal((5, 2, 3)))
    layer.eval()
    evaluated, _ = layer(x)
    np.testing.assert_allclose(evaluated.array, np_recurrent(
        layer, x.array, (np.zeros((2, 2, 4)),))[0], rtol=1e-12)
    layer.train()
    mg.manual_seed(1)
    first, _ = layer(x)
    mg.manual_seed(2)
    second, _ = layer(x)
    assert not np.allclose(first.array, evaluated.array)
    assert not np.allclose(first.array, second.array)


@pytest.mark.parametrize("layer,text", [
    (nn.RNN(3, 4), "RNN(3, 4)"),
    (nn.RNN(3, 4, 2, "relu", False, True, 0.5, True),
     "RNN(3, 4, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)"),
    (nn.LSTM(3, 4, batch_first=True), "LSTM(3, 4, batch_first=True)"),
    (nn.GRU(3, 4, num_layers=3), "GRU(3, 4, num_layers=3)"),
])
def test_repr(layer, text):
    assert repr(layer) == text


def test_dropout_with_one_layer_warns_as_pytorch():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(3, 4, dropout=0.2)


@pytest.mark.parametrize("call,error,message", [
    (lambda: nn.RNN(3, 4, nonlinearity="gelu"), ValueError,
     "Unknown nonlinearity 'gelu'. Select from 'tanh' or 'relu'."),
    (lambda: nn.GRU(3, 4, dropout=1.5), ValueError,
     r"dropout should be a number in range \[0, 1\]"),
    (lambda: nn.LSTM(3, 0), ValueError, "hidden_size must be an integer greater than zero; got 0"),
    (lambda: nn.LSTM(3, 4, num_layers=0), ValueError, "num_layers must be an integer greater"),
    (lambda: nn.LSTM(3, 4, proj_size=2), NotImplementedError, "proj_size"),
    (lambda: nn.GRU(3, 4, device="cuda"), RuntimeError, "not supported"),
    (lambda: nn.GRU(3, 4)(mg.zeros(5, 2, 3, 1)), ValueError,
     "GRU: Expected input to be 2D or 3D, got 4D instead"),
    (lambda: nn.GRU(3, 4)(mg.zeros(5, 2, 6)), RuntimeError,
     "input.size.-1. must be equal to input_size. Expected 3, got 6"),
    (lambda: nn.GRU(3, 4, 2)(mg.zeros(5, 2, 3), mg.zeros(1, 2, 4)), RuntimeError,
     r"Expected hidden size \(2, 2, 4\), got \[1, 2, 4\]"),
    (lambda: nn.LSTM(3, 4)(mg.zeros(5, 2, 3), (mg.zeros(1, 2, 4), mg.zeros(1, 3, 4))),
     RuntimeError, r"Expected hidden\[1\] size \(1, 2, 4\), got \[1, 3, 4\]"),
    (lambda: nn.LSTM(3, 4)(mg.zeros(5, 2, 3), mg.zeros(1, 2, 4)), TypeError,
     r"expects hx as a tuple \(h_0, c_0\); got 1"),
    (lambda: nn.RNN(3, 4)(mg.zeros(5, 3), mg.zeros(1, 1, 4)), RuntimeError,
     "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"),
])
def test_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()
