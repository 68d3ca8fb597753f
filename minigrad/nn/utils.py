"""Gradient utilities: clipping by global norm and by value, PyTorch's semantics."""
import numpy as np

from ..static.hooks import kernel
from ..tensor import Tensor


def _with_grads(parameters):
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``:

        total = || (||g_1||, ..., ||g_n||) ||_p,   g_i <- g_i * min(1, max_norm / (total + 1e-6))

    Returns the total norm (before clipping) as a tensor. ``norm_type`` may be inf.
    With ``error_if_nonfinite`` a nan/inf total raises instead of producing nan gradients.
    ``foreach`` (PyTorch's choice of multi-tensor kernels) is accepted; the result is the same.
    """
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    # One kernel over the parameters: under minigrad.compile every replay clips anew.
    return kernel(_clip_grad_norm, max_norm, norm_type, error_if_nonfinite, *parameters)


def _clip_grad_norm(max_norm, norm_type, error_if_nonfinite, *parameters):
    params = _with_grads(parameters)
    if not params:
        return Tensor(np.zeros((), dtype=np.float32))
    norm_type = float(norm_type)
    if norm_type == np.inf:
        norms = [np.abs(p.grad.array).max() if p.grad.array.size else 0.0 for p in params]
        total = np.max(np.asarray(norms, dtype=np.float64))
    else:
        norms = [np.linalg.norm(p.grad.array.ravel().astype(np.float64), norm_type) for p in params]
        total = np.linalg.norm(np.asarray(norms), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from "
                           f"`parameters` is non-finite ({total}), so it cannot be clipped. "
                           "To disable this error and scale the gradients by the non-finite "
                           "norm anyway, set `error_if_nonfinite=False`")
    coefficient = min(max_norm / (total + 1e-6), 1.0)
    if coefficient < 1.0 or not np.isfinite(total):
        for p in params:
            p.grad = Tensor._make((p.grad.array * coefficient).astype(p.grad.dtype), False, None)
    return Tensor(np.asarray(total, dtype=params[0].grad.dtype))


def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Clamp every gradient element into [-clip_value, clip_value] (``foreach`` accepted as
    in PyTorch)."""
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    kernel(_clip_grad_value, clip_value, *parameters)


def _clip_grad_value(clip_value, *parameters):
    for p in _with_grads(parameters):
        p.grad = Tensor._make(np.clip(p.grad.array, -clip_value, clip_value), False, None)
