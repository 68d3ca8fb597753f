"""Exercise linear: a Linear layer with parameters, PyTorch's nn.Linear.

    out = x @ weight^T + bias       x (N, in), weight (out, in), bias (out,), out (N, out)

Write LinearFunction.backward: return (dL/dx, dL/dweight, dL/dbias) given grad_output
(N, out). The check differentiates the Module, so the gradients of the parameters weight and
bias are checked, not only the input's. The bias is broadcast over the N rows; the weight is
used transposed in forward (mind which side each factor goes).
"""
import math

import minigrad as mg
from minigrad import nn
from minigrad.autograd import Function


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x @ weight.T + bias

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        # BEGIN SOLUTION
        return grad_output @ weight, grad_output.T @ x, grad_output.sum(0)
        # END SOLUTION


class Linear(nn.Module):
    """nn.Linear's parameters and initialisation: U(-1/sqrt(in), 1/sqrt(in))."""

    def __init__(self, in_features=4, out_features=4):
        super().__init__()
        bound = 1 / math.sqrt(in_features)
        self.weight = nn.Parameter(mg.rand(out_features, in_features) * 2 * bound - bound)
        self.bias = nn.Parameter(mg.rand(out_features) * 2 * bound - bound)

    def forward(self, x):
        return LinearFunction.apply(x, self.weight, self.bias)
