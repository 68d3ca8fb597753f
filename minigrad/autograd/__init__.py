"""``minigrad.autograd``: the reverse-mode engine and the tools built on it.

``engine`` holds the ``Function`` base class, ``backward`` and ``grad``; grad mode lives in
``minigrad.grad_mode`` and is re-exported here under PyTorch's names.
"""
from ..grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from . import functional  # noqa: F401  (jacobian, hessian, hvp, vhp, jvp, vjp)
from .engine import Function, backward, grad, run_backward

__all__ = ["Function", "backward", "grad", "run_backward", "detect_anomaly", "enable_grad",
           "is_grad_enabled", "no_grad", "set_grad_enabled"]
