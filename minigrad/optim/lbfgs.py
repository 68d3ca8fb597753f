"""L-BFGS (Liu & Nocedal, 1989), PyTorch's variant with an optional strong-Wolfe search."""
import numpy as np

from .closure import loss_and_gradient
from .flat import add_to_params
from .line_search import search_parameters
from .optimizer import Optimizer, nonnegative


class LBFGS(Optimizer):
    """Quasi-Newton: the direction is d = -H g, with H the inverse-Hessian estimate built by the
    two-loop recursion from the last ``history_size`` pairs s = x_{k+1} - x_k and
    y = g_{k+1} - g_k (a pair is kept only if y.s > 1e-10), scaled by y.s / y.y.

    ``step(closure)`` runs up to ``max_iter`` iterations; the closure zeroes the gradients,
    computes the loss, calls backward and returns the loss, as in PyTorch (a closure that
    only returns the loss works too: L-BFGS then differentiates it, see ``closure.py``). Without a line search the step is
    lr (the first one min(1, 1/|g|_1) * lr); with ``line_search_fn='strong_wolfe'`` it
    satisfies the strong Wolfe conditions. Stops on |g|_inf <= tolerance_grad, or on changes
    of the step or loss below tolerance_change. One parameter group only, as in PyTorch.
    """
    constraints = {"lr": nonnegative}

    def __init__(self, params, lr=1.0, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"only 'strong_wolfe' is supported as line_search_fn; got "
                             f"{line_search_fn!r}")
        max_eval = max_iter * 5 // 4 if max_eval is None else max_eval
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                                      tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change,
                                      history_size=history_size, line_search_fn=line_search_fn))
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _evaluate(self, closure):
        loss, gradient = loss_and_gradient(closure, self._params, "LBFGS")
        return float(loss), gradient

    def step(self, closure):
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state.setdefault(self._params[0], {"func_evals": 0, "n_iter": 0})
        original_loss, gradient = loss_and_gradient(closure, self._params, "LBFGS")
        loss = float(original_loss)
        evaluations = 1
        state["func_evals"] += 1
        self._step_count += 1
        if np.abs(gradient).max() <= tolerance_grad:
            return original_loss
        d, t = state.get("d"), state.get("t")
        old_dirs, old_steps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        h_diag, prev_grad, prev_loss = state.get("H_diag"), state.get("prev_flat_grad"), None

        for n_iter in range(1, max_iter + 1):
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, old_dirs, old_steps, ro, h_diag = -gradient, [], [], [], 1.0
            else:
                y, s = gradient - prev_grad, d * t
                ys = y.dot(s)
                if ys > 1e-10:  # keep the pair only if it preserves positive curvature
                    if len(old_dirs) == group["history_size"]:
                        old_dirs.pop(0), old_steps.pop(0), ro.pop(0)
                    old_dirs.append(y), old_steps.append(s), ro.append(1.0 / ys)
                    h_diag = ys / y.dot(y)
                d = _two_loop(-gradient, old_dirs, old_steps, ro, h_diag)
            prev_grad, prev_loss = gradient.copy(), loss
            t = (min(1.0, 1.0 / np.abs(gradient).sum()) * lr if state["n_iter"] == 1 else lr)
            gtd = gradient.dot(d)
            if gtd > -tolerance_change:  # not a descent direction any more
                break
            if group["line_search_fn"] == "strong_wolfe":
                loss, gradient, t, ls_evals = search_parameters(
                    self._params, closure, d, t, loss, gradient, gtd,
                    max_ls=max_eval - evaluations)
            else:
                add_to_params(self._params, t, d)
                ls_evals = 0
                if n_iter != max_iter:
                    loss, gradient = self._evaluate(closure)
                    ls_evals = 1
            evaluations += ls_evals
            state["func_evals"] += ls_evals
            if (n_iter == max_iter or evaluations >= max_eval
                    or np.abs(gradient).max() <= tolerance_grad
                    or np.abs(d * t).max() <= tolerance_change
                    or abs(loss - prev_loss) < tolerance_change):
                break
        state.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_steps, ro=ro, H_diag=h_diag,
                     prev_flat_grad=prev_grad, prev_loss=prev_loss)
        return original_loss


def _two_loop(q, old_dirs, old_steps, ro, h_diag):
    """H q by the two-loop recursion (Nocedal & Wright, algorithm 7.4), without forming H."""
    alphas = [0.0] * len(old_dirs)
    for i in range(len(old_dirs) - 1, -1, -1):
        alphas[i] = old_steps[i].dot(q) * ro[i]
        q = q - alphas[i] * old_dirs[i]
    r = q * h_diag
    for i in range(len(old_dirs)):
        beta = old_dirs[i].dot(r) * ro[i]
        r = r + (alphas[i] - beta) * old_steps[i]
    return r
