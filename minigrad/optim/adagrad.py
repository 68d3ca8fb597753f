"""AdaGrad (Duchi et al., 2011)."""
import numpy as np

from .optimizer import Optimizer, nonnegative


class Adagrad(Optimizer):
    """PyTorch's Adagrad. With t the step count, per step:

        lr_t <- lr / (1 + (t - 1) * lr_decay)
        s <- s + g^2                                 (sum, starting at initial_accumulator_value)
        p <- p - lr_t * g / (sqrt(s) + eps)

    Defaults: lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10.
    """
    constraints = {"lr": nonnegative, "lr_decay": nonnegative, "weight_decay": nonnegative,
                   "initial_accumulator_value": nonnegative, "eps": nonnegative}

    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10, *, maximize=False):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, maximize=maximize))

    def init_state(self, param, group):
        return {"step": 0, "sum": np.full_like(param, group["initial_accumulator_value"])}

    def update(self, param, grad, state, group):
        state["step"] += 1
        current_lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        state["sum"] += grad * grad
        std = np.sqrt(state["sum"])
        std += group["eps"]
        param += (-current_lr * grad) / std
