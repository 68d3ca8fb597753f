"""Exercise pow: a power with a constant exponent.

    out = x ** p       p is a Python number (not a tensor, so it gets no gradient: return
                       None for it); x > 0 when p is not an integer

Return (dL/dx, None). The power rule: d x^p / dx = p x^(p-1). Careful at x = 0 with p = 2:
the gradient is 0, not NaN.
"""
from minigrad.autograd import Function


class Pow(Function):
    @staticmethod
    def forward(ctx, x, p):
        ctx.save_for_backward(x)
        ctx.p = p
        return x ** p

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        # BEGIN SOLUTION
        return grad_output * ctx.p * x ** (ctx.p - 1), None
        # END SOLUTION
