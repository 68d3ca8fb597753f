"""Cumulative sums and products along one dimension."""
import numpy as np

from ..autograd import Function
from ..static.hooks import branch, kernel
from ._common import constant


def _reverse_cumsum(grad, dim):
    """sum_{k >= i} g_k along ``dim``, written as sum - cumsum + g so that it is made of
    differentiable Tensor ops (no flip needed)."""
    return grad.sum(dim, keepdim=True) - grad.cumsum(dim) + grad


class CumSum(Function):
    """out_i = sum_{j <= i} a_j along ``dim``;  da_i = sum_{k >= i} g_k."""

    def forward(self, a, dim):
        self.dim = dim
        return np.cumsum(a, axis=dim)

    def backward(self, grad, out):
        return (_reverse_cumsum(grad, self.dim),)


class CumProd(Function):
    """out_i = prod_{j <= i} a_j along ``dim``;
    da_i = sum_{k >= i} g_k prod_{j <= k, j != i} a_j.

    Without zeros in a that is sum_{k >= i} g_k out_k / a_i (one reverse cumulative sum).
    With a zero the division is 0 / 0, so the products that leave out a_i are formed
    directly: row i of an (n, n) matrix is a with a_i replaced by 1, and its cumulative
    product along the row is prod_{j <= k, j != i} a_j for every k (O(n^2), only then).
    """
    saved_inputs = (0,)
    saves_output = True

    def forward(self, a, dim):
        self.dim = dim
        return np.cumprod(a, axis=dim)

    def backward(self, grad, out):
        a = self.inputs[0]
        if not branch(np.any, kernel(np.equal, a.array, 0)):
            return (_reverse_cumsum(grad * out, self.dim) / a,)
        last = a.ndim - 1
        a_last, grad_last = a.transpose(self.dim, last), grad.transpose(self.dim, last)
        n = a.shape[self.dim]
        diagonal = constant(np.eye(n, dtype=bool))
        # leave_out[..., i, j] = a_j, except 1 where j = i
        leave_out = a_last.unsqueeze(-2).expand(*a_last.shape[:-1], n, n)
        leave_out = leave_out.masked_fill(diagonal, 1.0)
        # products[..., i, k] = prod_{j <= k, j != i} a_j, kept for k >= i only
        products = leave_out.cumprod(-1).masked_fill(constant(~np.triu(np.ones((n, n), bool))),
                                                     0.0)
        grad_a = (products @ grad_last.unsqueeze(-1)).squeeze(-1)
        return (grad_a.transpose(self.dim, last),)
