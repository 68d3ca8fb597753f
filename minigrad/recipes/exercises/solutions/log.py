"""Exercise log: the natural logarithm.

    out = ln(x)        x > 0

Return dL/dx given grad_output. d ln(x) / dx = 1 / x.
"""
from minigrad.autograd import Function


class Log(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.log()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        # BEGIN SOLUTION
        return grad_output / x
        # END SOLUTION
