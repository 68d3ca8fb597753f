"""Averaged SGD (Polyak & Juditsky, 1992)."""
import numpy as np

from .optimizer import Optimizer, nonnegative


class ASGD(Optimizer):
    """PyTorch's ASGD. With t the step count, per step:

        p <- p (1 - lambd * eta) - eta * g
        ax <- ax + mu (p - ax)           (ax <- p while mu = 1): the averaged parameters
        eta <- lr / (1 + lambd lr t)^alpha,   mu <- 1 / max(1, t - t0)

    Defaults: lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0. eta and mu are kept in
    float32, as PyTorch keeps them in float32 tensors.
    """
    constraints = {"lr": nonnegative, "lambd": nonnegative, "weight_decay": nonnegative}

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, *,
                 maximize=False):
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0,
                                      weight_decay=weight_decay, maximize=maximize))

    def init_state(self, param, group):
        return {"step": 0, "eta": np.float32(group["lr"]), "mu": np.float32(1.0),
                "ax": np.zeros_like(param)}

    def update(self, param, grad, state, group):
        lr, lambd = group["lr"], group["lambd"]
        state["step"] += 1
        eta = float(state["eta"])
        param *= 1 - lambd * eta
        param += -eta * grad
        if state["mu"] != 1:
            state["ax"] += (param - state["ax"]) * state["mu"]
        else:
            state["ax"][...] = param
        state["eta"] = np.float32(lr / ((1 + lambd * lr * state["step"]) ** group["alpha"]))
        state["mu"] = np.float32(1 / max(1, state["step"] - group["t0"]))
