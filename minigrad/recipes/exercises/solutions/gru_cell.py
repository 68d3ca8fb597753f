"""Exercise gru_cell: one step of a GRU, PyTorch's nn.GRUCell (gates in the order r, z, n).
Write forward and backward.

    gi = x @ weight_ih^T + bias_ih        x (B, I), weight_ih (3H, I): gi (B, 3H) = [i_r, i_z, i_n]
    gh = h @ weight_hh^T + bias_hh        h (B, H), weight_hh (3H, H): gh (B, 3H) = [h_r, h_z, h_n]
    r = sigmoid(i_r + h_r)
    z = sigmoid(i_z + h_z)
    n = tanh(i_n + r * h_n)
    h' = (1 - z) * n + z * h              the output, (B, H)

backward: return the gradients of x, h, weight_ih, weight_hh, bias_ih, bias_hh given
grad_output = dL/dh'. Go backwards through the lines above; h is used twice (in gh and in the
last line), r multiplies h_n, and each of gi, gh is a Linear (the linear exercise) whose
gradient is the three gates' gradients side by side. NumPy inside is fine (np.concatenate,
np.split); return Tensors.
"""
import numpy as np

import minigrad as mg
from minigrad.autograd import Function


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


class GRUCell(Function):
    @staticmethod
    def forward(ctx, x, h, weight_ih, weight_hh, bias_ih, bias_hh):
        # BEGIN SOLUTION
        i_r, i_z, i_n = np.split(x.array @ weight_ih.array.T + bias_ih.array, 3, axis=1)
        h_r, h_z, h_n = np.split(h.array @ weight_hh.array.T + bias_hh.array, 3, axis=1)
        r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
        n = np.tanh(i_n + r * h_n)
        ctx.saved = (x.array, h.array, weight_ih.array, weight_hh.array, r, z, n, h_n)
        return mg.Tensor((1 - z) * n + z * h.array)
        # END SOLUTION

    @staticmethod
    def backward(ctx, grad_output):
        # BEGIN SOLUTION
        x, h, weight_ih, weight_hh, r, z, n, h_n = ctx.saved
        g = grad_output.array
        grad_z = g * (h - n) * z * (1 - z)            # through z, then its sigmoid
        grad_n = g * (1 - z) * (1 - n * n)            # through n, then its tanh
        grad_r = grad_n * h_n * r * (1 - r)           # r multiplies h_n inside n
        grad_gi = np.concatenate([grad_r, grad_z, grad_n], axis=1)
        grad_gh = np.concatenate([grad_r, grad_z, grad_n * r], axis=1)
        grad_x = grad_gi @ weight_ih
        grad_h = g * z + grad_gh @ weight_hh          # h is used twice: both paths
        return (mg.Tensor(grad_x), mg.Tensor(grad_h), mg.Tensor(grad_gi.T @ x),
                mg.Tensor(grad_gh.T @ h), mg.Tensor(grad_gi.sum(0)), mg.Tensor(grad_gh.sum(0)))
        # END SOLUTION
