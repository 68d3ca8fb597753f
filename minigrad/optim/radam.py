"""RAdam: Adam with a rectified adaptive learning rate (Liu et al., 2020)."""
import numpy as np

from .optimizer import Optimizer, beta_pair, lerp_, nonnegative


class RAdam(Optimizer):
    """PyTorch's RAdam. With t the step count, per step (m, v as in Adam):

        rho_inf = 2 / (1 - beta2) - 1,   rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
        m_hat = m / (1 - beta1^t)
        rho_t > 5:  r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
                    p <- p - lr * m_hat * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r
        otherwise:  p <- p - lr * m_hat        (the variance estimate is not yet trustworthy)

    Defaults: lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.
    """
    constraints = {"lr": nonnegative, "eps": nonnegative, "betas": beta_pair,
                   "weight_decay": nonnegative}

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, *,
                 maximize=False, decoupled_weight_decay=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, maximize=maximize,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def init_state(self, param, group):
        return {"step": 0, "exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}

    def update(self, param, grad, state, group):
        (beta1, beta2), lr = group["betas"], group["lr"]
        state["step"] += 1
        step = state["step"]
        lerp_(state["exp_avg"], grad, 1 - beta1)
        state["exp_avg_sq"] *= beta2
        state["exp_avg_sq"] += (1 - beta2) * grad * grad
        bias_correction2 = 1 - beta2 ** step
        corrected_exp_avg = state["exp_avg"] / (1 - beta1 ** step)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                    / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive = bias_correction2 ** 0.5 / (np.sqrt(state["exp_avg_sq"]) + group["eps"])
            param -= corrected_exp_avg * lr * adaptive * rect
        else:
            param -= corrected_exp_avg * lr
