"""Exercise div: the quotient rule, with broadcasting.

    out = a / b        (b may be broadcast against a; b is never 0)

Return (dL/da, dL/db) given grad_output, each of its input's shape. Write a / b as a * b^-1
and use d(b^-1)/db = -b^-2. Sum a broadcast gradient back to its input's shape.
"""
from minigrad.autograd import Function


def reduce_to(grad, shape):
    """grad summed over the broadcast dimensions of ``shape`` (as in the add exercise)."""
    while grad.dim() > len(shape):
        grad = grad.sum(0)
    for dim, size in enumerate(shape):
        if size == 1 and grad.shape[dim] != 1:
            grad = grad.sum(dim, keepdim=True)
    return grad


class Div(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a / b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # BEGIN SOLUTION
        grad_a = grad_output / b
        grad_b = -grad_output * a / (b * b)
        return reduce_to(grad_a, a.shape), reduce_to(grad_b, b.shape)
        # END SOLUTION
