"""Adadelta (Zeiler, 2012)."""
import numpy as np

from .optimizer import Optimizer, nonnegative


def _unit_interval(value):
    return 0.0 <= value <= 1.0


class Adadelta(Optimizer):
    """PyTorch's Adadelta. Per step:

        v <- rho * v + (1 - rho) * g^2                          (square_avg)
        delta <- sqrt(u + eps) / sqrt(v + eps) * g
        u <- rho * u + (1 - rho) * delta^2                      (acc_delta)
        p <- p - lr * delta

    Defaults: lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.
    """
    constraints = {"lr": nonnegative, "rho": _unit_interval, "eps": nonnegative,
                   "weight_decay": nonnegative}

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, *, maximize=False):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize))

    def init_state(self, param, group):
        return {"step": 0, "square_avg": np.zeros_like(param), "acc_delta": np.zeros_like(param)}

    def update(self, param, grad, state, group):
        rho, eps = group["rho"], group["eps"]
        state["step"] += 1
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        square_avg *= rho
        square_avg += (1 - rho) * grad * grad
        delta = np.sqrt(acc_delta + eps)
        delta /= np.sqrt(square_avg + eps)
        delta *= grad
        acc_delta *= rho
        acc_delta += (1 - rho) * delta * delta
        param += -group["lr"] * delta
