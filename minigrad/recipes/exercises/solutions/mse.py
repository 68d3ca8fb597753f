"""Exercise mse: the mean squared error, PyTorch's F.mse_loss (reduction='mean').

    loss = (1/N) sum_i (x_i - y_i)^2      N = number of elements; loss is a scalar

Return (dL/dx, dL/dy) given grad_output (a scalar tensor). Both x and y get a gradient:
d (x - y)^2 / dx = 2 (x - y), and y enters with a minus sign.
"""
from minigrad.autograd import Function


class MSELoss(Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return ((x - y) ** 2).mean()

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        # BEGIN SOLUTION
        grad = grad_output * 2 * (x - y) / x.numel()
        return grad, -grad
        # END SOLUTION
