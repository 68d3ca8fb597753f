"""Exercise mean: a mean over one dimension.

    out = x.mean(dim) = x.sum(dim) / n      n = x.shape[dim]

Return (dL/dx, None) given grad_output. As for sum, broadcast grad_output back along dim
(unsqueeze, expand); mind the 1/n.
"""
from minigrad.autograd import Function


class Mean(Function):
    @staticmethod
    def forward(ctx, x, dim):
        ctx.shape, ctx.dim = x.shape, dim
        return x.mean(dim)

    @staticmethod
    def backward(ctx, grad_output):
        # BEGIN SOLUTION
        n = ctx.shape[ctx.dim]
        return grad_output.unsqueeze(ctx.dim).expand(*ctx.shape) / n, None
        # END SOLUTION
