"""Exercise exp: the exponential.

    out = e^x

Return dL/dx given grad_output. The exponential is its own derivative: you may save the
output in forward (ctx.save_for_backward(out)) instead of recomputing it.
"""
from minigrad.autograd import Function


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        out = x.exp()
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        # BEGIN SOLUTION
        return grad_output * out
        # END SOLUTION
