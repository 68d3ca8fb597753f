"""BFGS (Broyden, Fletcher, Goldfarb, Shanno, 1970) with a dense inverse-Hessian estimate."""
import numpy as np

from .descent import LineSearchDescent


class BFGS(LineSearchDescent):
    """Quasi-Newton with the full inverse-Hessian estimate H (n x n for n parameters):

        d_k = -H_k g_k,   x_{k+1} = x_k + t_k d_k   (t_k from the strong-Wolfe line search)
        s = x_{k+1} - x_k,  y = g_{k+1} - g_k,  rho = 1 / y.s
        H_{k+1} = (I - rho s y^T) H_k (I - rho y s^T) + rho s s^T

    H starts as the identity and is rescaled to (y.s / y.y) I just before the first update
    (Nocedal & Wright, eq. 6.20); a pair with y.s <= 1e-10 is skipped, which keeps H positive
    definite, and H is reset if d ever stops descending. ``step(closure)`` runs up to
    ``max_iter`` iterations with L-BFGS's closure contract, first step, tolerances and
    ``max_eval``; ``c2`` is the line search's curvature constant (a small c2 makes the search
    nearly exact). With exact line searches on a quadratic in n variables BFGS reaches the
    minimum in at most n iterations.

    Cost per iteration: about 1.25 gradient evaluations (the line search usually accepts its
    first trial), O(n^2) arithmetic and n^2 numbers of memory: refuses more than ``max_params``
    parameters. When to use: full-batch smooth problems with up to a few thousand parameters;
    above that, or when memory matters, LBFGS keeps only the last pairs. Both need exact
    gradients: mini-batch noise breaks the secant pairs.
    """

    def __init__(self, params, lr=1.0, max_iter=20, tolerance_grad=1e-7, tolerance_change=1e-9,
                 line_search_fn="strong_wolfe", max_eval=None, c2=0.9, max_params=4000):
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                                      tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change,
                                      line_search_fn=line_search_fn, c2=c2))
        n = self.num_params
        if n > max_params:
            size = n * n * self._params[0].array.itemsize / 2 ** 20
            raise ValueError(f"BFGS keeps a dense {n} x {n} inverse-Hessian estimate for {n} "
                             f"parameters ({size:,.0f} MiB), over max_params={max_params}: use "
                             "LBFGS, or raise max_params if you can afford it")

    def direction(self, state, gradient):
        if "d" not in state:  # the very first iteration: steepest descent
            return -gradient
        s = state["d"] * state["t"]
        y = gradient - state["prev_flat_grad"]
        ys = float(y.dot(s))
        inverse = state.get("H")
        if ys > 1e-10:
            if inverse is None:
                inverse = np.eye(len(s), dtype=gradient.dtype) * (ys / float(y.dot(y)))
            inverse = state["H"] = _update(inverse, s, y, ys)
        if inverse is None:
            return -gradient
        d = -(inverse @ gradient)
        if d.dot(gradient) >= 0:  # rounding broke positive definiteness: start again from I
            del state["H"]
            d = -gradient
        return d


def _update(inverse, s, y, ys):
    """The BFGS update in its O(n^2) form, with Hy computed once (H is symmetric):
    H - rho (s (Hy)^T + (Hy) s^T) + (rho^2 y.Hy + rho) s s^T, in float64, stored back in the
    parameters' dtype."""
    h = inverse.astype(np.float64)
    s, y = s.astype(np.float64), y.astype(np.float64)
    rho = 1.0 / ys
    hy = h @ y
    h -= rho * (np.outer(s, hy) + np.outer(hy, s))
    h += (rho * rho * y.dot(hy) + rho) * np.outer(s, s)
    return h.astype(inverse.dtype)
