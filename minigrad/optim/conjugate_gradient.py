"""Nonlinear conjugate gradient (Fletcher & Reeves 1964; Polak & Ribiere 1969; Hestenes &
Stiefel 1952), on the line search L-BFGS uses."""

from .descent import LineSearchDescent

BETAS = ("fletcher-reeves", "polak-ribiere", "hestenes-stiefel")


class ConjugateGradient(LineSearchDescent):
    """d_0 = -g_0,  d_k = -g_k + beta_k d_{k-1},  x_{k+1} = x_k + t_k d_k, with y = g_k - g_{k-1}:

        fletcher-reeves:   beta = g_k.g_k / g_{k-1}.g_{k-1}
        polak-ribiere:     beta = max(0, g_k.y / g_{k-1}.g_{k-1})     (PR+, Powell's fix)
        hestenes-stiefel:  beta = max(0, g_k.y / d_{k-1}.y)           (HS+)

    The direction restarts at -g_k whenever it stops descending (g_k.d_k >= 0). The first trial
    step is t_{k-1} g_{k-1}.d_{k-1} / g_k.d_k (Nocedal & Wright, eq. 3.60), since CG's
    directions have no natural scale (lr when there is no last step to go by). ``c2``
    defaults to 0.1 because Fletcher-Reeves needs c2 < 1/2 to guarantee descent. With exact line searches on a quadratic in n variables all three betas
    coincide with linear CG and reach the minimum in at most n iterations.

    Cost per iteration: one to a few gradient evaluations (the tight line search), O(n)
    arithmetic and three vectors of memory. When to use: full-batch smooth problems too large
    for BFGS, where L-BFGS's m vector pairs are also too many; L-BFGS usually needs fewer
    evaluations when it fits.
    """

    def __init__(self, params, lr=1.0, max_iter=20, beta="polak-ribiere",
                 line_search_fn="strong_wolfe", max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, c2=0.1):
        if beta not in BETAS:
            raise ValueError(f"beta must be one of {', '.join(BETAS)}; got {beta!r}")
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval, beta=beta,
                                      tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change,
                                      line_search_fn=line_search_fn, c2=c2))

    def direction(self, state, gradient):
        if "d" not in state:
            return -gradient
        previous, d_prev = state["prev_flat_grad"], state["d"]
        y = gradient - previous
        rule = self.param_groups[0]["beta"]
        if rule == "fletcher-reeves":
            beta = gradient.dot(gradient) / previous.dot(previous)
        elif rule == "polak-ribiere":
            beta = max(0.0, gradient.dot(y) / previous.dot(previous))
        else:
            denominator = d_prev.dot(y)
            beta = max(0.0, gradient.dot(y) / denominator) if denominator != 0 else 0.0
        d = -gradient + beta * d_prev
        if gradient.dot(d) >= 0:  # not a descent direction: restart with steepest descent
            state["restarts"] = state.get("restarts", 0) + 1
            d = -gradient
        return d.astype(gradient.dtype, copy=False)

    def first_trial(self, state, gradient, gtd):
        trial = state["t"] * state["gtd"] / gtd if "d" in state else 0.0
        if self.param_groups[0]["line_search_fn"] is None or not trial > 0:
            # No line search, or no usable last step (a search that ended at t = 0).
            return super().first_trial(state, gradient, gtd)
        return trial
