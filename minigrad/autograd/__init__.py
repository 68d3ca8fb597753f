"""``minigrad.autograd``: the reverse-mode engine and the tools built on it.

``engine`` holds the primitives' ``Function`` base class, ``backward`` and ``grad``, and
``checks`` the errors it raises for a bad graph or a bad gradient;
``function`` the PyTorch-style custom ``Function`` (ctx, save_for_backward, apply); ``graph``
the graph as PyTorch shows it (``grad_fn.name()``, ``next_functions``). Grad mode lives in
``minigrad.grad_mode`` and is re-exported here under PyTorch's names, as is ``gradcheck``.
"""
from ..grad_mode import (detect_anomaly, enable_grad, is_anomaly_check_nan_enabled,
                         is_anomaly_enabled, is_grad_enabled, no_grad, set_detect_anomaly,
                         set_grad_enabled)
from .engine import backward, grad, run_backward
from .function import Function, FunctionCtx
from ..gradcheck import gradcheck, gradgradcheck  # noqa: E402  (torch.autograd.gradcheck)
from . import functional  # noqa: F401,E402  (jacobian, hessian, hvp, vhp, jvp, vjp)

__all__ = ["Function", "FunctionCtx", "backward", "detect_anomaly", "enable_grad", "grad",
           "is_anomaly_check_nan_enabled", "is_anomaly_enabled", "set_detect_anomaly",
           "gradcheck", "gradgradcheck", "is_grad_enabled", "no_grad", "run_backward",
           "set_grad_enabled"]
