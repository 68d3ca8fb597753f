"""The affine map and dropout."""
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


def _dropout_mask(shape, p, dtype):
    """1 / (1 - p) where an element is kept, else 0, drawn from the framework's generator."""
    keep = generator().random(shape, dtype=np.float32) >= p
    return keep.astype(dtype) * np.asarray(1.0 / (1.0 - p), dtype=dtype)
