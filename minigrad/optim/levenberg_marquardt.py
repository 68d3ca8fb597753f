"""Levenberg-Marquardt: Gauss-Newton with a damping that adapts to how good the model was."""
import numpy as np

from ..grad_mode import no_grad
from ..tensor import Tensor
from .flat import add_to_params
from .gauss_newton import GaussNewton
from .optimizer import positive


class LevenbergMarquardt(GaussNewton):
    """Gauss-Newton's damped step, delta = -(J^T J + lambda I)^(-1) J^T r, tried and judged by
    the gain ratio of actual to predicted decrease of L = 0.5 ||r||^2:

        rho = (L(x) - L(x + delta)) / (0.5 delta.(lambda delta - J^T r))

    A step that lowers L is accepted and lambda *= max(1/3, 1 - (2 rho - 1)^3), nu = 2;
    otherwise the parameters stay where they were, lambda *= nu and nu *= 2, and the step is
    solved again, up to ``max_iter`` tries per ``step`` (Nielsen 1999; Madsen, Nielsen &
    Tingleff 2004). So L never rises. As lambda -> 0 the step is Gauss-Newton's; as lambda
    grows it tends to gradient descent with step 1/lambda, -J^T r / lambda.

    ``damping`` is lambda's start, then lambda lives in the state (and its state_dict). A step
    does nothing once |J^T r|_inf <= ``tolerance_grad`` or once |delta| <= ``tolerance_change``
    (|x| + ``tolerance_change``): at the optimum no step can lower L, and without these tests
    lambda would grow without bound.
    Cost per step: Gauss-Newton's (one linearization; with the dense solver J is reused by
    every try) plus one residual evaluation without gradient per try. When to use: the
    default for nonlinear least squares: robust far from the optimum, Gauss-Newton's fast
    convergence near it.
    """
    constraints = {**GaussNewton.constraints, "damping": positive, "max_iter": positive}

    def __init__(self, params, damping=1e-3, max_iter=10, solver="auto", dense_limit=100,
                 cg_max_iter=50, cg_tol=1e-10, tolerance_grad=1e-10, tolerance_change=1e-12):
        super().__init__(params, damping=damping, solver=solver, dense_limit=dense_limit,
                         cg_max_iter=cg_max_iter, cg_tol=cg_tol)
        self.param_groups[0].update(max_iter=max_iter, tolerance_grad=tolerance_grad,
                                    tolerance_change=tolerance_change)
        self._validate(self.param_groups[0])

    def step(self, closure):
        group = self.param_groups[0]
        linearization, system, state = self._linearize(closure)
        damping, nu = state.get("damping", group["damping"]), state.get("nu", 2.0)
        start = [p.array.copy() for p in self._params]
        x_norm = np.sqrt(sum(float(np.sum(np.square(x, dtype=np.float64))) for x in start))
        tries = group["max_iter"] if np.abs(system.gradient).max() > group["tolerance_grad"] else 0
        for _ in range(tries):
            delta = system.solve(damping)
            tolerance = group["tolerance_change"]
            if np.linalg.norm(delta) <= tolerance * (x_norm + tolerance):
                break  # converged: any step this small is lost in rounding
            predicted = 0.5 * delta.dot(damping * delta - system.gradient)
            add_to_params(self._params, 1.0, delta)
            with no_grad(), np.errstate(over="ignore", invalid="ignore"):
                # A wild trial may overflow: its loss is inf (or nan) and it is rejected.
                residual = closure().array.astype(np.float64)
                actual = linearization.loss - 0.5 * float(np.sum(residual * residual))
            state["func_evals"] += 1
            if actual > 0 and predicted > 0:
                rho = actual / predicted
                damping, nu = damping * max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0) ** 3), 2.0
                break
            for p, original in zip(self._params, start):  # reject: back to where we were
                p.array[...] = original
                p._version += 1
            state["rejected"] = state.get("rejected", 0) + 1
            damping, nu = damping * nu, nu * 2.0
        state.update(damping=damping, nu=nu)
        state["n_iter"] += 1
        state["products"] += system.products
        self._step_count += 1
        return Tensor(np.array(linearization.loss))
