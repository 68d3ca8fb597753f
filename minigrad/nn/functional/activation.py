"""Activation functions, each a composition of primitives (so no backward of its own)."""
import math

from ... import ops
from ...functional import log_softmax, softmax, where  # noqa: F401  (re-exported)
from ...tensor import Tensor


def relu(x: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0). ``inplace=True`` changes x itself and returns it (recorded in the graph, as
    PyTorch's ``relu_``)."""
    return x.relu_() if inplace else x.relu()


def leaky_relu(x: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, negative_slope * x otherwise (PyTorch default slope 0.01)."""
    if inplace:
        return x._update(lambda t: leaky_relu(t, negative_slope))
    return where(x > 0, x, x * negative_slope)


def elu(x: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, alpha * (e^x - 1) otherwise."""
    if inplace:
        return x._update(lambda t: elu(t, alpha))
    # exp of the clamped input: the branch where() discards must not overflow, or its
    # zero gradient times inf would turn into nan.
    return where(x > 0, x, (x.clamp(max=0.0).exp() - 1.0) * alpha)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """min(max(x, min_val), max_val) (PyTorch's defaults -1 and 1); gradient 1 strictly
    inside, 0 outside. ``inplace=True`` changes x itself (recorded in the graph)."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val {min_val} is greater than max_val {max_val}")
    return input.clamp_(min_val, max_val) if inplace else input.clamp(min_val, max_val)


def logsigmoid(input: Tensor) -> Tensor:
    """ln sigmoid(x) = -softplus(-x), computed without forming sigmoid(x), so that it is
    exact for large |x| (ln of a sigmoid that rounded to 0 would be -inf)."""
    return -ops.Softplus.apply(-input)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x for x > 0, a x otherwise, with a learned slope a: one shared value, or one per
    channel (dimension 1), as PyTorch's ``F.prelu(input, weight)``."""
    if weight.numel() != 1:
        channels = input.shape[1] if input.ndim >= 2 else input.shape[0] if input.ndim else 1
        if weight.ndim != 1 or weight.shape[0] != channels:
            raise ValueError(f"prelu: weight of shape {weight.shape} must have one element or "
                             f"one per channel ({channels} for an input of shape {input.shape})")
        # Broadcast the per-channel slope along dimension 1 (dimension 0 of a 1-D input).
        shape = (-1,) + (1,) * (input.ndim - 2) if input.ndim >= 2 else (-1,)
        weight = weight.reshape(shape)
    return where(input > 0, input, input * weight)


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x) with Phi the standard normal CDF: 0.5 x (1 + erf(x / sqrt 2)).
    ``approximate='tanh'``: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    if approximate == "none":
        return ops.Gelu.apply(x)  # fused: x * 0.5 * (erf(x / sqrt 2) + 1) in one node
    if approximate == "tanh":
        return x * 0.5 * (((x + x * x * x * 0.044715) * math.sqrt(2.0 / math.pi)).tanh() + 1.0)
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh'; got {approximate!r}")


def sigmoid(x: Tensor) -> Tensor:
    """1 / (1 + e^-x)."""
    return x.sigmoid()


def tanh(x: Tensor) -> Tensor:
    return x.tanh()


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """ln(1 + e^(beta x)) / beta, and x itself where beta x > threshold (PyTorch's rule)."""
    scaled = x * beta
    return where(scaled > threshold, x, ops.Softplus.apply(scaled) / beta)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (the swish of Ramachandran et al. with beta = 1). ``inplace=True``
    changes x itself (recorded in the graph)."""
    if inplace:
        return input._update(silu)
    return input * input.sigmoid()


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x)) (Misra, 2019), softplus(x) = ln(1 + e^x) computed stably.
    ``inplace=True`` changes x itself (recorded in the graph)."""
    if inplace:
        return input._update(mish)
    return input * ops.Softplus.apply(input).tanh()
