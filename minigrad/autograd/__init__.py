"""``minigrad.autograd``: the reverse-mode engine and the tools built on it.

``engine`` holds the primitives' ``Function`` base class, ``backward`` and ``grad``;
``function`` the PyTorch-style custom ``Function`` (ctx, save_for_backward, apply); grad mode lives in
``minigrad.grad_mode`` and is re-exported here under PyTorch's names.
"""
from ..grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .engine import backward, grad, run_backward
from .function import Function, FunctionCtx
from ..gradcheck import gradcheck, gradgradcheck  # noqa: E402  (PyTorch's torch.autograd.gradcheck)

__all__ = ["Function", "FunctionCtx", "gradcheck", "gradgradcheck", "backward", "grad", "run_backward", "detect_anomaly", "enable_grad",
           "is_grad_enabled", "no_grad", "set_grad_enabled"]
