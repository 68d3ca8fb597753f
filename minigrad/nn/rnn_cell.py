"""One time step of a recurrent layer: RNNCell, LSTMCell, GRUCell, with PyTorch's parameter
names (``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``), gate order and init."""
import numpy as np

from ..tensor import Tensor
from . import functional as F
from ._factory import parameter_dtype
from .functional.recurrent import gru_step, lstm_step, rnn_step
from .module import Module
from .parameter import Parameter
from .rnn import _uniform_parameters


class RNNCellBase(Module):
    """weight_ih (G*H, input_size), weight_hh (G*H, H), bias_ih and bias_hh (G*H), all
    U(-1/sqrt(H), 1/sqrt(H)); input (N, input_size) or (input_size,) unbatched."""
    num_gates = 1

    def __init__(self, input_size, hidden_size, bias, device=None, dtype=None):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        gate_size = self.num_gates * hidden_size
        self.weight_ih = Parameter(np.empty((gate_size, input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((gate_size, hidden_size), dtype=dtype))
        self.bias_ih = Parameter(np.empty(gate_size, dtype=dtype)) if bias else None
        self.bias_hh = Parameter(np.empty(gate_size, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        _uniform_parameters(self, self.hidden_size)

    def _prepare(self, input, states):
        """(batched input, batched states (zeros if None), whether the input was batched)."""
        name = type(self).__name__
        if input.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} "
                               f"expected {self.input_size}")
        batched = input.ndim == 2
        if not batched:
            input = input.unsqueeze(0)
        prepared = []
        for index, state in enumerate(states):
            if state is None:
                state = Tensor(np.zeros((input.shape[0], self.hidden_size), dtype=input.dtype))
            else:
                state = state if batched else state.unsqueeze(0)
                if state.ndim != 2 or state.shape[0] != input.shape[0]:
                    raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match "
                                       f"hidden{index} batch size {state.shape[0]} (hidden "
                                       f"state shape {state.shape})")
                if state.shape[1] != self.hidden_size:
                    raise RuntimeError(f"hidden{index} has inconsistent hidden_size: got "
                                       f"{state.shape[1]}, expected {self.hidden_size}")
            prepared.append(state)
        return input, prepared, batched

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(RNNCellBase):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu)."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, device, dtype)

    def forward(self, input, hx=None):
        input, (h,), batched = self._prepare(input, (hx,))
        h = rnn_step(F.linear(input, self.weight_ih, self.bias_ih), h, self.weight_hh,
                     self.bias_hh, self.nonlinearity)
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """(h', c') from (x, (h, c)); gates i, f, g, o as in ``functional.recurrent.lstm_step``."""
    num_gates = 4

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, device, dtype)

    def forward(self, input, hx=None):
        input, (h, c), batched = self._prepare(input, (None, None) if hx is None else hx)
        h, c = lstm_step(F.linear(input, self.weight_ih, self.bias_ih), h, c, self.weight_hh,
                         self.bias_hh)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """h' from (x, h); gates r, z, n as in ``functional.recurrent.gru_step``."""
    num_gates = 3

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, device, dtype)

    def forward(self, input, hx=None):
        input, (h,), batched = self._prepare(input, (hx,))
        h = gru_step(F.linear(input, self.weight_ih, self.bias_ih), h, self.weight_hh,
                     self.bias_hh)
        return h if batched else h.squeeze(0)
