"""The strong-Wolfe line search shared by L-BFGS, BFGS and conjugate gradient (Nocedal &
Wright, algorithms 3.5 and 3.6), with safeguarded cubic interpolation, following PyTorch's (and
minFunc's) choices."""
import numpy as np

from .closure import loss_and_gradient
from .flat import add_to_params


def cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through (x1, f1, slope g1) and (x2, f2, slope g2), clipped to
    ``bounds`` (default: the interval); the bounds' midpoint if the cubic has no minimum."""
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2.0
    d2 = np.sqrt(d2_square)
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, low), high)


def strong_wolfe(evaluate, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """Find a step t along d satisfying the strong Wolfe conditions
        f(x + t d) <= f(x) + c1 t g.d   and   |g(x + t d).d| <= c2 |g.d|.
    ``evaluate(t)`` returns (loss, flat gradient) at x + t d. Returns (f, g, t, evaluations)."""
    d_norm = np.abs(d).max()
    f_new, g_new = evaluate(t)
    evaluations, gtd_new = 1, g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done, ls_iter = False, 0
    # Phase 1: grow the step until an interval containing a good point is bracketed.
    while ls_iter < max_ls:
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            bracket = [[t_prev, f_prev, g_prev, gtd_prev], [t, f_new, g_new, gtd_new]]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, done = [[t, f_new, g_new, gtd_new]], True
            break
        if gtd_new >= 0:
            bracket = [[t_prev, f_prev, g_prev, gtd_prev], [t, f_new, g_new, gtd_new]]
            break
        min_step, max_step = t + 0.01 * (t - t_prev), t * 10
        t_prev, t = t, cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                                         bounds=(min_step, max_step))
        f_prev, g_prev, gtd_prev = f_new, g_new, gtd_new
        f_new, g_new = evaluate(t)
        evaluations, gtd_new, ls_iter = evaluations + 1, g_new.dot(d), ls_iter + 1
    if ls_iter == max_ls:
        bracket = [[0.0, f, g, gtd], [t, f_new, g_new, gtd_new]]

    # Phase 2: zoom into the bracket by interpolation until the conditions hold.
    insufficient_progress = False
    low, high = (0, 1) if bracket[0][1] <= bracket[-1][1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1][0] - bracket[0][0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(bracket[0][0], bracket[0][1], bracket[0][3],
                              bracket[1][0], bracket[1][1], bracket[1][3])
        lo_t, hi_t = min(bracket[0][0], bracket[1][0]), max(bracket[0][0], bracket[1][0])
        eps = 0.1 * (hi_t - lo_t)
        if min(hi_t - t, t - lo_t) < eps:
            # Too close to an end: move away from it unless the last step already did.
            if insufficient_progress or t >= hi_t or t <= lo_t:
                t = hi_t - eps if abs(t - hi_t) < abs(t - lo_t) else lo_t + eps
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False
        f_new, g_new = evaluate(t)
        evaluations, gtd_new, ls_iter = evaluations + 1, g_new.dot(d), ls_iter + 1
        if f_new > f + c1 * t * gtd or f_new >= bracket[low][1]:
            bracket[high] = [t, f_new, g_new, gtd_new]
            low, high = (0, 1) if bracket[0][1] <= bracket[1][1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high][0] - bracket[low][0]) >= 0:
                bracket[high] = list(bracket[low])
            bracket[low] = [t, f_new, g_new, gtd_new]
    t, f_new, g_new, _ = bracket[low]
    return f_new, g_new, t, evaluations


def search_parameters(params, closure, d, t, f, g, gtd, max_ls=25, c2=0.9, name="LBFGS"):
    """``strong_wolfe`` on the parameters themselves: each trial moves them to x + t d, calls
    the closure (see ``closure.py``: it may or may not call backward itself) and moves them
    back; at the end they are left at x + t d for the accepted t. Returns
    (f, g, t, evaluations)."""
    start = [p.array.copy() for p in params]

    def evaluate(step):
        add_to_params(params, step, d)
        loss, gradient = loss_and_gradient(closure, params, name)
        loss = float(loss)
        for p, original in zip(params, start):
            p.array[...] = original
        return loss, gradient

    f, g, t, evaluations = strong_wolfe(evaluate, t, d, f, g, gtd, c2=c2, max_ls=max_ls)
    add_to_params(params, t, d)
    return f, g, t, evaluations
