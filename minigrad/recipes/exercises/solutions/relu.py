"""Exercise relu: the rectifier.

    out = max(x, 0)

Return dL/dx given grad_output. The derivative is 1 where x > 0 and 0 where x < 0; at x = 0
exactly, PyTorch's convention (checked) is 0. A comparison (x > 0) gives a bool tensor;
.to(x.dtype) or mg.where turns it into a mask.
"""
import minigrad as mg
from minigrad.autograd import Function


class ReLU(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return mg.where(x > 0, x, mg.zeros_like(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        # BEGIN SOLUTION
        return mg.where(x > 0, grad_output, mg.zeros_like(grad_output))
        # END SOLUTION
