"""The affine map, dropout and channel dropout."""
import numpy as np

from ... import ops
from ...random import generator
from ...static.hooks import kernel
from ...tensor import Tensor, _operands


def linear(x: Tensor, weight: Tensor, bias: Tensor = None) -> Tensor:
    """y = x W^T + b, with W of shape (out_features, in_features) as in PyTorch."""
    if x.shape[-1] != weight.shape[1]:
        raise ValueError(f"linear: input of shape {x.shape} has {x.shape[-1]} features but the "
                         f"weight of shape {weight.shape} expects {weight.shape[1]}")
    if x.dtype != weight.dtype:
        x, weight = _operands(x, weight)
    return ops.Linear.apply(x, weight) if bias is None else ops.Linear.apply(x, weight, bias)


def dropout(x: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Inverted dropout: in training, zero each element with probability p and scale the
    rest by 1 / (1 - p), so eval mode is the identity with the same expected value."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return x
    if inplace:  # x itself changes, recorded in the graph as PyTorch's dropout_
        return x._update(lambda t: dropout(t, p, training))
    if p == 1.0:
        return x * 0.0
    return x * Tensor(kernel(_dropout_mask, x.shape, p, x.dtype))


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Channel dropout (Tompson et al., 2015): in training, zero each whole channel (N, C)
    of a (N, C, H, W) input with probability p and scale the rest by 1 / (1 - p); a 3-D
    input is one unbatched (C, H, W) sample, as in PyTorch. Neighbouring pixels of a feature
    map are correlated, so dropping single pixels would hardly regularise a convolution."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if input.ndim not in (3, 4):
        raise ValueError(f"dropout2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input; got "
                         f"shape {input.shape}")
    if not training or p == 0.0:
        return input
    if inplace:  # input itself changes, recorded in the graph as PyTorch's dropout2d_
        return input._update(lambda t: dropout2d(t, p, training))
    if p == 1.0:
        return input * 0.0
    # One draw per channel, broadcast over the spatial dimensions.
    channels = input.shape[:-2] + (1, 1)
    return input * Tensor(kernel(_dropout_mask, channels, p, input.dtype))


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Channel dropout for sequences: zero whole channels of a (N, C, L) (or unbatched
    (C, L)) input with probability p, scale the rest by 1 / (1 - p)."""
    if input.ndim not in (2, 3):
        raise ValueError(f"dropout1d: expected a 2-D (C, L) or 3-D (N, C, L) input; got shape "
                         f"{input.shape}")
    if inplace and training and p != 0.0:
        return input._update(lambda t: dropout1d(t, p, training))
    return dropout2d(input.unsqueeze(-1), p, training).squeeze(-1)


def _dropout_mask(shape, p, dtype):
    """1 / (1 - p) where an element is kept, else 0, drawn from the framework's generator."""
    keep = generator().random(shape, dtype=np.float32) >= p
    return keep.astype(dtype) * np.asarray(1.0 / (1.0 - p), dtype=dtype)
