"""Exercise embedding: a lookup table, PyTorch's F.embedding(indices, weight).

    out[..., :] = weight[indices[...], :]      indices: integers of any shape, weight (V, D)

Return (None, dL/dweight) given grad_output (indices.shape + (D,)): the indices get no
gradient. Row v of dL/dweight collects the gradient of every output that looked up v; an
index that appears twice gets both (np.add.at adds at repeated indices; fancy-index assignment
does not). NumPy inside backward is fine.
"""
import numpy as np

import minigrad as mg
from minigrad.autograd import Function


class Embedding(Function):
    @staticmethod
    def forward(ctx, indices, weight):
        ctx.indices, ctx.weight_shape = indices.array, weight.shape
        return mg.Tensor(weight.array[indices.array])

    @staticmethod
    def backward(ctx, grad_output):
        # BEGIN SOLUTION
        grad_weight = np.zeros(ctx.weight_shape, dtype=grad_output.dtype)
        np.add.at(grad_weight, ctx.indices, grad_output.array)
        return None, mg.Tensor(grad_weight)
        # END SOLUTION
