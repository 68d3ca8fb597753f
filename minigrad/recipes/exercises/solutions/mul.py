"""Exercise mul: the product rule, with broadcasting.

    out = a * b        (b may be broadcast against a)

Return (dL/da, dL/db) given grad_output = dL/d out, each of its input's exact shape. For one
element, d out[k] / d a[k] = b[k]. When the same tensor is passed as both a and b (x * x),
the engine adds the two gradients you return: you need not do anything special.
Sum a broadcast gradient back to its input's shape (see the add exercise's reduce_to).
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


class Mul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # BEGIN SOLUTION
        return reduce_to(grad_output * b, a.shape), reduce_to(grad_output * a, b.shape)
        # END SOLUTION
