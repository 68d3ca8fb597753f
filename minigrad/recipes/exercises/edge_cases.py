"""The edge cases finite differences cannot check: at a kink or a tie the numerical
derivative is the average of the two sides (0.5), while PyTorch's convention picks one side.
Each check takes the student's function and returns None, or (where, kind, sentence)."""
import numpy as np

import minigrad


def relu_at_zero(fn):
    """ReLU's gradient at exactly 0 is 0, as in PyTorch."""
    x = minigrad.Tensor(np.array([-1.0, 0.0, 2.0]), requires_grad=True)
    grad = minigrad.autograd.grad(fn(x).sum(), x)[0].array
    if grad[1] != 0:
        return ("x = 0", "convention", f"the gradient at x = 0 is {grad[1]:g}; PyTorch's "
                                       "convention is 0 (use x > 0, not x >= 0)")
    return None


def max_ties(fn):
    """A max window whose elements tie passes its gradient to one of them (PyTorch: the
    first), not to all: a mask x == max counts it several times."""
    x = minigrad.Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)  # one window, four ties
    grad = minigrad.autograd.grad(fn(x).sum(), x)[0].array
    receivers = int((grad != 0).sum())
    if receivers != 1 or grad.sum() != 1:
        return ("a window of four equal values", "ties",
                f"the gradient of a window whose four elements tie goes to {receivers} "
                f"elements (total {grad.sum():g}); it must go to one element only, as in "
                "PyTorch (the first): use the index forward saved, not x == max")
    return None


SPECIAL_CHECKS = {"relu_at_zero": relu_at_zero, "max_ties": max_ties}
