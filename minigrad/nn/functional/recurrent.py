"""Recurrent steps (RNN, LSTM, GRU) and the loop over time. The RNN's loop is ordinary graph
ops (backward through time is the engine's backward); an LSTM or GRU layer's whole loop is
one primitive (``lstm_layer``, ``gru_layer``), whose backward through time is one pass with
one matrix product for dW_hh: a language model's training step is about 1.4-1.5x faster than
with the unrolled graph (``benchmarks/recurrent.py``).
Either way the gradient checker and second derivatives work; the cells (``nn.LSTMCell``...)
use the single steps.

Every step receives ``x_gates``, the input's share of the gates, W_ih x_t + b_ih: a layer
computes it for all time steps in one matmul before the loop, so that the loop over time
is the only Python loop and each step does one small matmul, h W_hh^T.
"""
import math

import numpy as np

from ...functional import stack
from ...ops.recurrent import GRUCellUpdate, LSTMCellUpdate
from ...ops.recurrent_sequence import GRUSequence, LSTMSequence
from ...tensor import Tensor
from .basic import linear


def rnn_step(x_gates, h, weight_hh, bias_hh, nonlinearity="tanh"):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu)."""
    pre = x_gates + linear(h, weight_hh, bias_hh)
    return pre.tanh() if nonlinearity == "tanh" else pre.relu()


def lstm_step(x_gates, h, c, weight_hh, bias_hh):
    """Gates in PyTorch's order i, f, g, o (Hochreiter & Schmidhuber, 1997):
    i, f, o = sigmoid(.), g = tanh(.) of W_ih x + b_ih + W_hh h + b_hh (4H wide),
    c' = f * c + i * g,  h' = o * tanh(c').
    The pointwise part is one fused primitive (``ops.recurrent.LSTMCellUpdate``)."""
    size = h.shape[-1]
    both = LSTMCellUpdate.apply(x_gates, linear(h, weight_hh, bias_hh), c)  # [h' | c']
    return both[..., :size], both[..., size:]


def lstm_layer(x_gates, h, c, weight_hh, reverse=False):
    """``lstm_step`` over the whole sequence (backwards in time if ``reverse``) as one
    primitive (``ops.recurrent_sequence.LSTMSequence``): the same numbers, one matrix product
    for dW_hh instead of one per step. Returns the outputs h_t (L, N, H) and (h_n, c_n)."""
    size = h.shape[-1]
    both = LSTMSequence.apply(x_gates, h, c, weight_hh, reverse=reverse)  # [h_t | c_t]
    last = both[0 if reverse else -1]
    return both[..., :size], (last[..., :size], last[..., size:])


def gru_step(x_gates, h, weight_hh, bias_hh):
    """Gates in PyTorch's order r, z, n (Cho et al., 2014):
    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z likewise,
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h' = (1 - z) * n + z * h.
    The pointwise part is one fused primitive (``ops.recurrent.GRUCellUpdate``)."""
    return GRUCellUpdate.apply(x_gates, linear(h, weight_hh, bias_hh), h)


def gru_layer(x_gates, h, weight_hh, bias_hh, reverse=False):
    """``gru_step`` over the whole sequence (backwards in time if ``reverse``) as one
    primitive (``ops.recurrent_sequence.GRUSequence``): the same numbers, one matrix product
    for dW_hh instead of one per step. Returns the outputs h_t (L, N, H) and (h_n,)."""
    if bias_hh is None:  # bias=False: a zero b_hh, outside any graph
        bias_hh = Tensor._make(np.zeros(weight_hh.shape[0], dtype=weight_hh.dtype), False, None)
    output = GRUSequence.apply(x_gates, h, weight_hh, bias_hh, reverse=reverse)
    return output, (output[0 if reverse else -1],)


def time_steps(x_gates):
    """[x_gates[0], ..., x_gates[L-1]], cut in two levels: blocks of about sqrt(L) steps,
    then steps from the blocks. The gradient of a slice is as large as the tensor it is cut
    from, so cutting every step from the whole sequence would cost O(L^2) in backward;
    this costs O(L sqrt(L))."""
    length = x_gates.shape[0]
    block = max(1, math.isqrt(length))
    if block == 1:
        return [x_gates[t] for t in range(length)]
    steps = []
    for start in range(0, length, block):
        chunk = x_gates[start:start + block]
        steps.extend(chunk[t] for t in range(chunk.shape[0]))
    return steps


def run_over_time(step, x_gates, state, reverse=False):
    """Apply ``step(x_gates[t], *state) -> new state`` for t = 0 .. L-1 (L-1 .. 0 if
    ``reverse``); ``state`` is a tuple whose first element is h. Returns the outputs h_t
    stacked in time order (L, N, H) and the final state."""
    inputs = time_steps(x_gates)
    outputs = [None] * len(inputs)
    for t in (reversed(range(len(inputs))) if reverse else range(len(inputs))):
        state = step(inputs[t], *state)
        if not isinstance(state, tuple):
            state = (state,)
        outputs[t] = state[0]
    return stack(outputs), state
