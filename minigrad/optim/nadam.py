"""NAdam: Adam with Nesterov momentum (Dozat, 2016)."""
import numpy as np

from .optimizer import Optimizer, beta_pair, lerp_, nonnegative


class NAdam(Optimizer):
    """PyTorch's NAdam. With t the step count and psi = momentum_decay, per step:

        mu_t = beta1 * (1 - 0.5 * 0.96^(t psi)),   Pi_t = mu_1 * ... * mu_t   (mu_product)
        m <- beta1 * m + (1 - beta1) * g,   v <- beta2 * v + (1 - beta2) * g^2
        d = sqrt(v / (1 - beta2^t)) + eps
        p <- p - lr (1 - mu_t) / (1 - Pi_t) * g / d - lr mu_{t+1} / (1 - Pi_t mu_{t+1}) * m / d

    Defaults: lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3.
    Pi_t is kept in float32, as PyTorch keeps it in a float32 tensor.
    """
    constraints = {"lr": nonnegative, "eps": nonnegative, "betas": beta_pair,
                   "weight_decay": nonnegative, "momentum_decay": nonnegative}

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 momentum_decay=4e-3, *, maximize=False, decoupled_weight_decay=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, momentum_decay=momentum_decay,
                                      maximize=maximize,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def init_state(self, param, group):
        return {"step": 0, "mu_product": np.float32(1.0), "exp_avg": np.zeros_like(param),
                "exp_avg_sq": np.zeros_like(param)}

    def update(self, param, grad, state, group):
        (beta1, beta2), lr, decay = group["betas"], group["lr"], group["momentum_decay"]
        state["step"] += 1
        step = state["step"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * decay))
        state["mu_product"] = np.float32(state["mu_product"] * np.float32(mu))
        mu_product = float(state["mu_product"])
        lerp_(state["exp_avg"], grad, 1 - beta1)
        state["exp_avg_sq"] *= beta2
        state["exp_avg_sq"] += (1 - beta2) * grad * grad
        denom = np.sqrt(state["exp_avg_sq"] / (1 - beta2 ** step))
        denom += group["eps"]
        param += (-lr * (1.0 - mu) / (1.0 - mu_product)) * grad / denom
        param += ((-lr * mu_next) / (1.0 - mu_product * mu_next)) * state["exp_avg"] / denom
