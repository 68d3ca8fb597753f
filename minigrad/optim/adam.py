"""Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019)."""
import numpy as np

from .optimizer import Optimizer, beta_pair, lerp_, nonnegative


class Adam(Optimizer):
    """PyTorch's Adam. With t the step count, per step:

        m <- beta1 * m + (1 - beta1) * g            (exp_avg)
        v <- beta2 * v + (1 - beta2) * g^2          (exp_avg_sq)
        v_max <- max(v_max, v)                      (amsgrad only; then v_max replaces v)
        p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    Defaults: lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0 (an L2 term added to
    g; ``decoupled_weight_decay=True`` makes it AdamW's p <- p (1 - lr wd) instead).
    """
    constraints = {"lr": nonnegative, "eps": nonnegative, "betas": beta_pair,
                   "weight_decay": nonnegative}

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, *, maximize=False, decoupled_weight_decay=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def init_state(self, param, group):
        state = {"step": 0, "exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(param)
        return state

    def update(self, param, grad, state, group):
        beta1, beta2 = group["betas"]
        state["step"] += 1
        step, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
        work, denom = self.scratch(param, 2)  # every step below writes into these: no allocation
        lerp_(exp_avg, grad, 1 - beta1, work)
        exp_avg_sq *= beta2
        np.multiply(grad, 1 - beta2, out=work)
        work *= grad
        exp_avg_sq += work
        if group["amsgrad"]:
            exp_avg_sq = np.maximum(state["max_exp_avg_sq"], exp_avg_sq,
                                    out=state["max_exp_avg_sq"])
        step_size = group["lr"] / (1 - beta1 ** step)
        np.sqrt(exp_avg_sq, out=denom)
        denom /= (1 - beta2 ** step) ** 0.5
        denom += group["eps"]
        np.multiply(exp_avg, -step_size, out=work)
        work /= denom
        param += work


class AdamW(Adam):
    """Adam with decoupled weight decay: p <- p (1 - lr * weight_decay) before the Adam step,
    instead of an L2 term in the gradient. Default weight_decay=1e-2, as PyTorch."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)
