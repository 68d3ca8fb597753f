"""RMSprop (Hinton, 2012), optionally centered (Graves, 2013) and with momentum."""
import numpy as np

from .optimizer import Optimizer, lerp_, nonnegative


class RMSprop(Optimizer):
    """PyTorch's RMSprop. Per step:

        v <- alpha * v + (1 - alpha) * g^2                    (square_avg)
        centered:  m <- alpha * m + (1 - alpha) * g,  a = sqrt(v - m^2) + eps
        otherwise: a = sqrt(v) + eps
        momentum:  b <- momentum * b + g / a,  p <- p - lr * b
        otherwise: p <- p - lr * g / a

    Defaults: lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False.
    """
    constraints = {"lr": nonnegative, "alpha": nonnegative, "eps": nonnegative,
                   "momentum": nonnegative, "weight_decay": nonnegative}

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False, *, maximize=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize))

    def init_state(self, param, group):
        state = {"step": 0, "square_avg": np.zeros_like(param)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(param)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(param)
        return state

    def update(self, param, grad, state, group):
        alpha = group["alpha"]
        state["step"] += 1
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            lerp_(state["grad_avg"], grad, 1 - alpha)
            avg = np.sqrt(square_avg - state["grad_avg"] * state["grad_avg"])
        else:
            avg = np.sqrt(square_avg)
        avg += group["eps"]
        if group["momentum"] > 0:
            buffer = state["momentum_buffer"]
            buffer *= group["momentum"]
            buffer += grad / avg
            param += -group["lr"] * buffer
        else:
            param += (-group["lr"] * grad) / avg
