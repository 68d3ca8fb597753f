"""Newton's method, beyond PyTorch: the full Hessian from the framework's own second-order
gradients, for small problems where the second-order chapter of the story is the point."""
import numpy as np

from .. import autograd
from ..functional import cat
from .closure import check_graph_kept, run
from .optimizer import Optimizer, nonnegative


class Newton(Optimizer):
    """p <- p - lr * (H + damping * I)^(-1) g, with g and H the gradient and Hessian of the
    closure's loss over all parameters (flattened together).

    ``step(closure)``: the closure computes and returns the loss; Newton differentiates it
    twice itself (one backward with ``create_graph=True`` for g, then one per row of H). A
    closure written for LBFGS works if its backward keeps the graph
    (``loss.backward(create_graph=True)``; see ``closure.py``).
    Refuses more than ``max_params`` parameters: H has n^2 entries and costs n backwards.
    A singular H needs ``damping`` > 0 (Levenberg-style regularisation).
    """
    constraints = {"lr": nonnegative, "damping": nonnegative}

    def __init__(self, params, lr=1.0, damping=0.0, max_params=2000):
        super().__init__(params, dict(lr=lr, damping=damping))
        if len(self.param_groups) != 1:
            raise ValueError("Newton doesn't support per-parameter options (parameter groups)")
        count = sum(p.numel() for p in self.param_groups[0]["params"])
        if count > max_params:
            raise ValueError(f"Newton needs the full {count} x {count} Hessian of {count} "
                             f"parameters, over max_params={max_params}: use LBFGS, or raise "
                             "max_params if you can afford it")

    def step(self, closure):
        group = self.param_groups[0]
        params = group["params"]
        loss, _ = run(closure, params)
        check_graph_kept(loss, "Newton")
        with autograd.enable_grad():
            grads = autograd.grad(loss, params, create_graph=True, allow_unused=True)
            flat = cat([(g if g is not None else p * 0.0).reshape(-1)
                        for p, g in zip(params, grads)])
            n = flat.numel()
            hessian = np.zeros((n, n))
            if flat.requires_grad:  # otherwise the loss is linear and H = 0
                for i in range(n):
                    rows = autograd.grad(flat[i], params, retain_graph=True, allow_unused=True)
                    hessian[i] = np.concatenate([np.zeros(p.numel()) if h is None
                                                 else h.array.reshape(-1)
                                                 for p, h in zip(params, rows)])
        system = hessian + group["damping"] * np.eye(len(hessian))
        try:
            newton_step = np.linalg.solve(system, flat.array.astype(np.float64))
        except np.linalg.LinAlgError:
            raise np.linalg.LinAlgError("the Hessian is singular; pass damping > 0") from None
        offset = 0
        for p in params:
            chunk = newton_step[offset:offset + p.numel()].reshape(p.shape)
            p.array -= (group["lr"] * chunk).astype(p.dtype)
            p._version += 1
            offset += p.numel()
        self._step_count += 1
        return loss
