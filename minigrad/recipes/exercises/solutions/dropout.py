"""Exercise dropout: inverted dropout in training mode, PyTorch's F.dropout.

    mask ~ Bernoulli(1 - p) per element       (kept with probability 1 - p)
    out = x * mask / (1 - p)

Return (dL/dx, None) given grad_output. The mask is a constant for backward: save it in
forward (the check replays the same random stream on every evaluation, so the mask does not
change between them).
"""
import minigrad as mg
from minigrad.autograd import Function


class Dropout(Function):
    @staticmethod
    def forward(ctx, x, p):
        mask = (mg.rand(*x.shape, dtype=x.dtype) >= p).to(x.dtype)
        ctx.save_for_backward(mask)
        ctx.p = p
        return x * mask / (1 - p)

    @staticmethod
    def backward(ctx, grad_output):
        (mask,) = ctx.saved_tensors
        # BEGIN SOLUTION
        return grad_output * mask / (1 - ctx.p), None
        # END SOLUTION
