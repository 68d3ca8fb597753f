"""Exercise matmul: the matrix product.

    out = a @ b        a (n, k), b (k, m), out (n, m);  out[i, j] = sum_l a[i, l] b[l, j]

Return (dL/da, dL/db) given grad_output (n, m). Write dL/da[i, l] as a sum over j with the
formula above, and recognise a matrix product; the shapes (n, k) and (k, m) tell you which
operand is transposed. A square b hides a transposition mistake from the shapes: the check
uses one.
"""
from minigrad.autograd import Function


class MatMul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # BEGIN SOLUTION
        return grad_output @ b.T, a.T @ grad_output
        # END SOLUTION
