"""Exercise attention: scaled dot-product attention, one head, PyTorch's
F.scaled_dot_product_attention without mask or dropout. Write forward and backward.

    S = Q K^T / sqrt(d)              Q (T, d), K (L, d): S (T, L)
    A = softmax(S) over the last dimension
    out = A V                        V (L, dv): out (T, dv)

backward: return (dL/dQ, dL/dK, dL/dV) given grad_output = g (T, dv). Go back one step at a
time: through the product A V (the matmul exercise), the softmax (the softmax exercise: row
by row), then the product Q K^T and the scale. Save what backward needs in forward.
"""
import math

from minigrad.autograd import Function


class Attention(Function):
    @staticmethod
    def forward(ctx, q, k, v):
        # BEGIN SOLUTION
        scale = 1 / math.sqrt(q.shape[-1])
        s = q @ k.T * scale
        e = (s - s.amax(-1, keepdim=True)).exp()  # minus the row maximum: no overflow
        a = e / e.sum(-1, keepdim=True)
        ctx.save_for_backward(q, k, v, a)
        ctx.scale = scale
        return a @ v
        # END SOLUTION

    @staticmethod
    def backward(ctx, grad_output):
        # BEGIN SOLUTION
        q, k, v, a = ctx.saved_tensors
        grad_v = a.T @ grad_output
        grad_a = grad_output @ v.T
        grad_s = a * (grad_a - (grad_a * a).sum(-1, keepdim=True)) * ctx.scale
        return grad_s @ k, grad_s.T @ q, grad_v
        # END SOLUTION
