"""Gauss-Newton for nonlinear least squares: the closure returns residuals, not a loss."""
import numpy as np

from ..tensor import Tensor
from .curvature import GaussNewtonSystem, Linearization
from .flat import add_to_params
from .optimizer import Optimizer, nonnegative, positive

SOLVERS = ("auto", "dense", "cg")


class GaussNewton(Optimizer):
    """Minimises L(x) = 0.5 ||r(x)||^2 for the residual tensor r (any shape) that the closure
    returns, with J = dr/dx over all parameters flattened together:

        (J^T J + damping I) delta = -J^T r,    x <- x + lr * delta

    J^T J is the Hessian of L without the second derivatives of r: exact for linear residuals
    (one step solves a linear least-squares problem), close to the Hessian near a good fit.
    With damping 0 the dense solver takes the least-squares solution of J delta = -r.

    ``step(closure)``: the closure computes and returns r (it calls no backward); returns L
    before the step. ``solver``: "dense" forms J with min(m, n) backward passes (rows J^T e_i
    or columns J e_j, m residuals, n parameters) and solves in O(n^3); "cg" runs up to
    ``cg_max_iter`` conjugate-gradient iterations on products J^T (J v), two backward passes
    each, memory O(m + n); "auto" picks dense when min(m, n) <= ``dense_limit``.
    When to use: least-squares fits (curves, calibration, small regression networks) whose
    residuals are small at the optimum; with large residuals or a rank-deficient J prefer
    LevenbergMarquardt, which also never raises the loss.
    """
    constraints = {"lr": nonnegative, "damping": nonnegative, "cg_max_iter": positive}

    def __init__(self, params, lr=1.0, damping=0.0, solver="auto", dense_limit=100,
                 cg_max_iter=50, cg_tol=1e-10):
        if solver not in SOLVERS:
            raise ValueError(f"solver must be one of {', '.join(SOLVERS)}; got {solver!r}")
        super().__init__(params, dict(lr=lr, damping=damping, solver=solver,
                                      dense_limit=dense_limit, cg_max_iter=cg_max_iter,
                                      cg_tol=cg_tol))
        if len(self.param_groups) != 1:
            raise ValueError(f"{type(self).__name__} doesn't support per-parameter options "
                             "(parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _linearize(self, closure):
        group = self.param_groups[0]
        linearization = Linearization(closure, self._params, type(self).__name__)
        system = GaussNewtonSystem(linearization, group["solver"], group["dense_limit"],
                                   group["cg_max_iter"], group["cg_tol"])
        state = self.state.setdefault(self._params[0], {"n_iter": 0, "func_evals": 0,
                                                        "products": 0})
        state["func_evals"] += 1
        return linearization, system, state

    def step(self, closure):
        group = self.param_groups[0]
        linearization, system, state = self._linearize(closure)
        delta = system.solve(group["damping"])
        add_to_params(self._params, group["lr"], delta)
        state["n_iter"] += 1
        state["products"] += system.products
        self._step_count += 1
        return Tensor(np.array(linearization.loss))
