"""Adamax: Adam with the infinity norm (Kingma & Ba, 2015, section 7)."""
import numpy as np

from .optimizer import Optimizer, beta_pair, lerp_, nonnegative


class Adamax(Optimizer):
    """PyTorch's Adamax. With t the step count, per step:

        m <- beta1 * m + (1 - beta1) * g                   (exp_avg)
        u <- max(beta2 * u, |g| + eps)                     (exp_inf)
        p <- p - lr / (1 - beta1^t) * m / u

    Defaults: lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.
    """
    constraints = {"lr": nonnegative, "eps": nonnegative, "betas": beta_pair,
                   "weight_decay": nonnegative}

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, *,
                 maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, maximize=maximize))

    def init_state(self, param, group):
        return {"step": 0, "exp_avg": np.zeros_like(param), "exp_inf": np.zeros_like(param)}

    def update(self, param, grad, state, group):
        beta1, beta2 = group["betas"]
        state["step"] += 1
        lerp_(state["exp_avg"], grad, 1 - beta1)
        exp_inf = state["exp_inf"]
        np.maximum(exp_inf * beta2, np.abs(grad) + group["eps"], out=exp_inf)
        step_size = group["lr"] / (1 - beta1 ** state["step"])
        param += (-step_size * state["exp_avg"]) / exp_inf
