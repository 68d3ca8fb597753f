"""The loop that BFGS and nonlinear conjugate gradient share: pick a direction d, step along
it by the strong-Wolfe line search (the one L-BFGS uses) or by a fixed lr, repeat.

A subclass supplies only ``direction(state, gradient)`` and, optionally, ``first_trial``, the
step the line search tries first. The bookkeeping follows ``LBFGS`` so that the three behave
alike: the same closure contract, the same stopping tests, ``state["func_evals"]`` and
``state["n_iter"]`` counted the same way, and everything needed to continue kept in the state
(so ``state_dict`` resumes exactly).
"""
import numpy as np

from .closure import loss_and_gradient
from .flat import add_to_params, count
from .line_search import search_parameters
from .optimizer import Optimizer, nonnegative, positive


def _wolfe_constant(value) -> bool:
    return 0.0 < value < 1.0


class LineSearchDescent(Optimizer):
    """Base of the line-search methods (see the module docstring). One parameter group."""
    constraints = {"lr": nonnegative, "max_iter": positive, "c2": _wolfe_constant}

    def __init__(self, params, defaults: dict):
        if defaults.get("line_search_fn") not in (None, "strong_wolfe"):
            raise ValueError(f"only 'strong_wolfe' is supported as line_search_fn; got "
                             f"{defaults['line_search_fn']!r}")
        if defaults.get("max_eval") is None:
            defaults["max_eval"] = defaults["max_iter"] * 5 // 4
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError(f"{type(self).__name__} doesn't support per-parameter options "
                             "(parameter groups)")
        self._params = self.param_groups[0]["params"]
        self.num_params = count(self._params)

    def direction(self, state: dict, gradient: np.ndarray) -> np.ndarray:
        """The search direction at the current point; ``state`` holds the previous iteration's
        ``d``, ``t`` and ``prev_flat_grad`` (absent on the very first iteration)."""
        raise NotImplementedError

    def first_trial(self, state: dict, gradient: np.ndarray, gtd: float) -> float:
        """The step tried first; as L-BFGS: min(1, 1/|g|_1) * lr at the start, then lr."""
        lr = self.param_groups[0]["lr"]
        return min(1.0, 1.0 / np.abs(gradient).sum()) * lr if state["n_iter"] == 1 else lr

    def _evaluate(self, closure):
        return loss_and_gradient(closure, self._params, type(self).__name__)

    def step(self, closure):
        """Up to ``max_iter`` iterations; the closure zeroes the gradients, computes the loss,
        calls backward and returns the loss (or only returns the loss: see ``closure.py``).
        Returns the loss before the step."""
        group = self.param_groups[0]
        state = self.state.setdefault(self._params[0], {"func_evals": 0, "n_iter": 0})
        original_loss, gradient = self._evaluate(closure)
        loss, evaluations = float(original_loss), 1
        state["func_evals"] += 1
        self._step_count += 1
        if np.abs(gradient).max() <= group["tolerance_grad"]:
            return original_loss
        for n_iter in range(1, group["max_iter"] + 1):
            state["n_iter"] += 1
            d = self.direction(state, gradient)
            gtd = float(gradient.dot(d))
            if gtd > -group["tolerance_change"]:  # no descent left along any direction we have
                break
            t = self.first_trial(state, gradient, gtd)
            prev_loss = loss
            state.update(prev_flat_grad=gradient.copy(), gtd=gtd)
            if group["line_search_fn"] == "strong_wolfe":
                loss, gradient, t, used = search_parameters(
                    self._params, closure, d, t, loss, gradient, gtd,
                    max_ls=group["max_eval"] - evaluations, c2=group["c2"],
                    name=type(self).__name__)
            else:
                add_to_params(self._params, t, d)
                used = 0
                if n_iter != group["max_iter"]:
                    loss, gradient = self._evaluate(closure)
                    loss, used = float(loss), 1
            evaluations += used
            state["func_evals"] += used
            state.update(d=d, t=t)
            if (n_iter == group["max_iter"] or evaluations >= group["max_eval"]
                    or np.abs(gradient).max() <= group["tolerance_grad"]
                    or np.abs(d * t).max() <= group["tolerance_change"]
                    or abs(loss - prev_loss) < group["tolerance_change"]):
                break
        return original_loss
