"""The parameters seen as one flat vector, the view every full-batch method works in
(L-BFGS, BFGS, conjugate gradient, Gauss-Newton, Levenberg-Marquardt, Hessian-free)."""
import numpy as np

from ..tensor import Tensor


def count(params) -> int:
    return sum(p.numel() for p in params)


def flatten(arrays, params) -> np.ndarray:
    """One vector from per-parameter arrays or Tensors; None (an unused parameter) is zeros."""
    return np.concatenate([np.zeros(p.numel(), p.dtype) if a is None
                           else (a.array if isinstance(a, Tensor) else a).reshape(-1)
                           for a, p in zip(arrays, params)])


def flat_grad(params) -> np.ndarray:
    """The parameters' ``.grad`` as one vector (zeros where a parameter has none)."""
    return flatten([p.grad for p in params], params)


def unflatten(vector: np.ndarray, params) -> list:
    """Constant Tensors shaped like ``params``, cut from ``vector`` (in the parameters' dtype)."""
    pieces, offset = [], 0
    for p in params:
        piece = vector[offset:offset + p.numel()].reshape(p.shape).astype(p.dtype, copy=False)
        pieces.append(Tensor._make(piece, False, None))
        offset += p.numel()
    return pieces


def add_to_params(params, step: float, direction: np.ndarray) -> None:
    """p <- p + step * direction, in place, each parameter taking its slice."""
    offset = 0
    for p in params:
        p.array += step * direction[offset:offset + p.numel()].reshape(p.shape)
        p._version += 1
        offset += p.numel()
