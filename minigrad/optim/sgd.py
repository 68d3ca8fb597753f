"""Stochastic gradient descent, with momentum and Nesterov momentum."""
import numpy as np

from .optimizer import Optimizer, nonnegative


class SGD(Optimizer):
    """PyTorch's SGD. With momentum mu and dampening tau, per step:

        b <- g                              (first step)
        b <- mu * b + (1 - tau) * g         (later steps)
        g <- g + mu * b   (nesterov)   or   g <- b
        p <- p - lr * g

    ``momentum=0`` is plain SGD. Defaults as PyTorch 2.x: lr=1e-3, no momentum.
    """
    constraints = {"lr": nonnegative, "momentum": nonnegative, "weight_decay": nonnegative}

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False, *, maximize=False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(f"Nesterov momentum requires a momentum and zero dampening; got "
                             f"momentum={momentum}, dampening={dampening}")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    def update(self, param, grad, state, group):
        momentum = group["momentum"]
        (work,) = self.scratch(param)
        if momentum:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = grad.copy()
            else:
                buffer *= momentum
                np.multiply(grad, 1 - group["dampening"], out=work)
                buffer += work
            if group["nesterov"]:
                np.multiply(buffer, momentum, out=work)
                grad = np.add(grad, work, out=work)
            else:
                grad = buffer
        np.multiply(grad, -group["lr"], out=work)
        param += work
