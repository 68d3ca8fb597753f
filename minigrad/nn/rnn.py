"""Recurrent layers (RNN, LSTM, GRU) and their single-step cells, with PyTorch's parameter
names, gate order, shapes and initialisation. The step formulas are in
``nn.functional.recurrent``."""
import math
import warnings

import numpy as np

from ..functional import cat, stack
from ..tensor import Tensor
from . import functional as F, init
from ._factory import parameter_dtype
from .functional.recurrent import gru_layer, lstm_layer, rnn_step, run_over_time
from .module import Module
from .parameter import Parameter

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _uniform_parameters(module, hidden_size):
    """PyTorch's init for every recurrent weight and bias: U(-1/sqrt(H), 1/sqrt(H))."""
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0
    for weight in module.parameters():
        init.uniform_(weight, -bound, bound)


class RNNBase(Module):
    """A stack of ``num_layers`` recurrent layers, each run forwards (and, if
    ``bidirectional``, backwards too, its outputs concatenated on the features), with
    dropout between layers in training. Layer k, direction d has ``weight_ih_l{k}{s}``
    (G*H, in), ``weight_hh_l{k}{s}`` (G*H, H), ``bias_ih_l{k}{s}``, ``bias_hh_l{k}{s}`` (G*H),
    s = '' or '_reverse', G the number of gates; all U(-1/sqrt(H), 1/sqrt(H)).

    forward(input, hx=None): input (L, N, H_in), (N, L, H_in) with ``batch_first``, or
    (L, H_in) unbatched; hx (D * num_layers, N, H) (an (h, c) pair for the LSTM), zeros
    if not given. Returns (output (L, N, D * H), h_n) in the input's layout."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, device=None,
                 dtype=None):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or \
                not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=3)
        if not isinstance(hidden_size, (int, np.integer)) or hidden_size <= 0:
            raise ValueError(f"hidden_size must be an integer greater than zero; got "
                             f"{hidden_size!r}")
        if not isinstance(num_layers, (int, np.integer)) or num_layers <= 0:
            raise ValueError(f"num_layers must be an integer greater than zero; got "
                             f"{num_layers!r}")
        if proj_size:
            raise NotImplementedError("LSTM(proj_size > 0) (projected hidden states) is not "
                                      "supported by minigrad; use proj_size=0")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, 0
        directions = 2 if bidirectional else 1
        gate_size = _GATES[mode] * hidden_size
        self._flat_weights_names = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * directions
            for suffix in ("", "_reverse")[:directions]:
                shapes = {"weight_ih": (gate_size, layer_input),
                          "weight_hh": (gate_size, hidden_size)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                for kind, shape in shapes.items():
                    name = f"{kind}_l{layer}{suffix}"
                    setattr(self, name, Parameter(np.empty(shape, dtype=dtype)))
                    self._flat_weights_names.append(name)
        self.reset_parameters()

    def reset_parameters(self):
        _uniform_parameters(self, self.hidden_size)

    def flatten_parameters(self):
        """PyTorch compacts the weights for cuDNN here; on the CPU there is nothing to do."""

    @property
    def all_weights(self):
        """The parameters per layer and direction: [[w_ih, w_hh, b_ih, b_hh], ...]."""
        per = 4 if self.bias else 2
        weights = [getattr(self, name) for name in self._flat_weights_names]
        return [weights[i:i + per] for i in range(0, len(weights), per)]

    def _layer_parameters(self, layer, suffix):
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return [getattr(self, f"{kind}_l{layer}{suffix}", None) for kind in names]

    def forward(self, input, hx=None):
        batched = self._check_input(input)
        directions = 2 if self.bidirectional else 1
        states = hx if isinstance(hx, tuple) else (hx,)
        if not batched:  # one sequence: a batch of one, squeezed again at the end
            input = input.unsqueeze(1)
            states = tuple(self._unbatched_state(s, i) for i, s in enumerate(states))
        elif self.batch_first:
            input = input.transpose(0, 1)
        batch = input.shape[1]
        expected = (self.num_layers * directions, batch, self.hidden_size)
        states = self._initial_states(states, expected, input.dtype)
        layer_input, finals = input, [[] for _ in states]
        for layer in range(self.num_layers):
            outputs = []
            for direction, suffix in enumerate(("", "_reverse")[:directions]):
                index = layer * directions + direction
                output, final = self._run_layer(layer_input, tuple(s[index] for s in states),
                                                *self._layer_parameters(layer, suffix),
                                                reverse=direction == 1)
                outputs.append(output)
                for kept, state in zip(finals, final):
                    kept.append(state)
            layer_input = outputs[0] if directions == 1 else cat(outputs, -1)
            if self.dropout and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, self.training)
        output, finals = layer_input, tuple(stack(kept) for kept in finals)
        if not batched:
            output, finals = output.squeeze(1), tuple(s.squeeze(1) for s in finals)
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, (finals if self.mode == "LSTM" else finals[0])

    def _run_layer(self, x, state, weight_ih, weight_hh, bias_ih, bias_hh, reverse):
        if self.mode == "GRU":  # b_hn sits inside r * (...): b_hh stays in each step
            return gru_layer(F.linear(x, weight_ih, bias_ih), *state, weight_hh, bias_hh,
                             reverse)
        # RNN and LSTM: b_ih + b_hh folded into the input projection, one add per step fewer
        x_gates = F.linear(x, weight_ih, None if bias_ih is None else bias_ih + bias_hh)
        if self.mode == "LSTM":  # the whole loop over time is one primitive
            return lstm_layer(x_gates, *state, weight_hh, reverse)
        nonlinearity = "tanh" if self.mode == "RNN_TANH" else "relu"
        return run_over_time(lambda xg, h: rnn_step(xg, h, weight_hh, None, nonlinearity),
                             x_gates, state, reverse)

    def _check_input(self, input) -> bool:
        name = "RNN" if self.mode.startswith("RNN") else self.mode
        if input.ndim not in (2, 3):
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.shape[-1]}")
        return input.ndim == 3

    def _unbatched_state(self, state, index):
        if state is None:
            return None
        if state.ndim != 2:
            raise RuntimeError(f"For unbatched 2-D input, hx{'' if index == 0 else '[1]'} "
                               f"should also be 2-D but got {state.ndim}-D tensor")
        return state.unsqueeze(1)

    def _initial_states(self, states, expected, dtype):
        count = 2 if self.mode == "LSTM" else 1
        if len(states) == 1 and states[0] is None:
            zeros = np.zeros(expected, dtype=dtype)
            return tuple(Tensor(zeros) for _ in range(count))
        if len(states) != count:
            raise TypeError(f"{self.mode} expects hx as " + (
                "a tuple (h_0, c_0)" if count == 2 else "one tensor") + f"; got {len(states)}")
        for index, state in enumerate(states):
            if state.shape != expected:
                label = f"hidden[{index}]" if count == 2 else "hidden"
                raise RuntimeError(f"Expected {label} size {expected}, got {list(state.shape)}")
        return states

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh) (or relu)."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)


class LSTM(RNNBase):
    """Long short-term memory; see ``functional.recurrent.lstm_step`` (gates i, f, g, o).
    Returns (output, (h_n, c_n)). ``proj_size > 0`` is refused (not supported)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device, dtype)


class GRU(RNNBase):
    """Gated recurrent unit; see ``functional.recurrent.gru_step`` (gates r, z, n)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)
