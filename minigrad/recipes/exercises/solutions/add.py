"""Exercise add: the gradient of a sum, and of broadcasting.

    out = a + b        b may be broadcast against a: a (3, 4) with b (4,) or (3, 1)

backward receives grad_output = dL/d out (the shape of out) and returns (dL/da, dL/db), each
of exactly the shape of its input. Chain rule for one element:

    dL/da[i] = sum over every output k that a[i] feeds of grad_output[k] * d out[k] / d a[i]

A broadcast element of b feeds several outputs. (The engine, like PyTorch's, would fix a
broadcast gradient for you; this exercise asks for the exact shape: Tensor.sum(dim,
keepdim=True) keeps a dimension of size 1.)
"""
from minigrad.autograd import Function


def reduce_to(grad, shape):
    """grad summed over the dimensions that broadcasting added or stretched from 1 to fit
    ``shape``. A helper the later exercises reuse."""
    # BEGIN SOLUTION
    while grad.dim() > len(shape):
        grad = grad.sum(0)
    for dim, size in enumerate(shape):
        if size == 1 and grad.shape[dim] != 1:
            grad = grad.sum(dim, keepdim=True)
    return grad
    # END SOLUTION


class Add(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = (a.shape, b.shape)
        return a + b

    @staticmethod
    def backward(ctx, grad_output):
        a_shape, b_shape = ctx.shapes
        # BEGIN SOLUTION
        return reduce_to(grad_output, a_shape), reduce_to(grad_output, b_shape)
        # END SOLUTION
