"""Exercise softmax: over the last dimension.

    s_i = e^(x_i) / sum_j e^(x_j)       (along the last dimension, row by row)

Return dL/dx given grad_output = g. Each x_i is used twice: in its own numerator and in the
shared denominator, so every s_j depends on every x_i of its row:

    d s_j / d x_i = s_j (delta_ij - s_i)

dL/dx_i = sum_j g_j d s_j / d x_i; expand the sum (it needs a sum over the row, keepdim=True).
"""
from minigrad.autograd import Function


class Softmax(Function):
    @staticmethod
    def forward(ctx, x):
        # Subtract the row maximum so that exp cannot overflow (the result is unchanged).
        e = (x - x.amax(-1, keepdim=True)).exp()
        out = e / e.sum(-1, keepdim=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        # BEGIN SOLUTION
        return s * (grad_output - (grad_output * s).sum(-1, keepdim=True))
        # END SOLUTION
