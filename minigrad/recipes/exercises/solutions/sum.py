"""Exercise sum: a sum over one dimension.

    out = x.sum(dim)   x (n_0, ..., n_d, ...), out has dimension dim removed

Return (dL/dx, None) given grad_output (dim gets no gradient). Every x element of a slice
along dim feeds the same output element with derivative 1: the gradient is grad_output
broadcast back along dim (Tensor.unsqueeze(dim) then .expand(*x_shape)).
"""
from minigrad.autograd import Function


class Sum(Function):
    @staticmethod
    def forward(ctx, x, dim):
        ctx.shape, ctx.dim = x.shape, dim
        return x.sum(dim)

    @staticmethod
    def backward(ctx, grad_output):
        # BEGIN SOLUTION
        return grad_output.unsqueeze(ctx.dim).expand(*ctx.shape), None
        # END SOLUTION
