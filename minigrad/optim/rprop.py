"""Rprop: resilient backpropagation (Riedmiller & Braun, 1993)."""
import numpy as np

from .optimizer import Optimizer, nonnegative


def _valid_etas(etas):
    return len(etas) == 2 and 0.0 < etas[0] < 1.0 < etas[1]


class Rprop(Optimizer):
    """PyTorch's Rprop: only the sign of the gradient is used. Per element, per step:

        s = sign(g * g_prev)
        step_size <- clamp(step_size * (eta_plus if s > 0, eta_minus if s < 0, else 1),
                           step_min, step_max)
        g <- 0 where s < 0         (a sign change: skip this update, forget this gradient)
        p <- p - sign(g) * step_size,   g_prev <- g

    Defaults: lr=1e-2 (the initial step size), etas=(0.5, 1.2), step_sizes=(1e-6, 50).
    """
    constraints = {"lr": nonnegative, "etas": _valid_etas}

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 maximize=False):
        super().__init__(params, dict(lr=lr, etas=tuple(etas), step_sizes=tuple(step_sizes),
                                      maximize=maximize))

    def init_state(self, param, group):
        return {"step": 0, "prev": np.zeros_like(param),
                "step_size": np.full_like(param, group["lr"])}

    def update(self, param, grad, state, group):
        (eta_minus, eta_plus), (step_min, step_max) = group["etas"], group["step_sizes"]
        state["step"] += 1
        sign = np.sign(grad * state["prev"])
        factor = np.where(sign > 0, eta_plus, np.where(sign < 0, eta_minus, 1.0))
        step_size = state["step_size"]
        step_size *= factor.astype(param.dtype)
        np.clip(step_size, step_min, step_max, out=step_size)
        grad = np.where(sign < 0, 0, grad).astype(param.dtype)
        param -= np.sign(grad) * step_size
        state["prev"] = grad
