"""Matrix multiplication, the one op where most of the time goes."""
import numpy as np

from ..autograd import Function
from .elementwise import _each_needs_the_other


class MatMul(Function):
    """out = a @ b (NumPy's matmul: 1-D, 2-D and batched with broadcasting);
    da = g @ b^T, db = a^T @ g, with 1-D operands treated as a row / column vector."""
    saved_inputs = (0, 1)

    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(f"matmul needs tensors of at least 1 dimension; got shapes "
                             f"{a.shape} and {b.shape}")
        if a.shape[-1] != b.shape[0 if b.ndim == 1 else -2]:
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} are not aligned: "
                             f"{a.shape[-1]} (last dim of the first) != "
                             f"{b.shape[0 if b.ndim == 1 else -2]} (the second's rows)")
        try:
            return np.matmul(a, b)
        except ValueError:
            raise ValueError(f"matmul: the batch dimensions of shapes {a.shape} and {b.shape} "
                             "do not broadcast") from None

    def saved_values(self):
        return _each_needs_the_other(self.needs_input_grad), False

    def backward(self, grad, out):
        a, b = self.inputs
        # Promote vectors to matrices so one formula serves all cases; the engine sums any
        # broadcast batch dimensions back to each input's shape.
        a2 = a.unsqueeze(0) if a.ndim == 1 else a
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
        g = grad.reshape(batch + (a2.shape[-2], b2.shape[-1]))
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            grad_a = g @ b2.mT
            if a.ndim == 1:
                grad_a = grad_a.squeeze(-2)
        if self.needs_input_grad[1]:
            grad_b = a2.mT @ g
            if b.ndim == 1:
                grad_b = grad_b.squeeze(-1)
        return grad_a, grad_b


class Linear(Function):
    """out = x W^T + b (W of shape (out_features, in_features), as nn.Linear), fused:
    dx = g W,  dW = g^T x,  db = sum of g over all leading dimensions.

    One node instead of transpose + matmul + add, and dW is computed directly in W's own
    row-major layout (through the transpose it would come out column-major, and every
    optimizer update would then walk memory with a large stride)."""
    saved_inputs = (0, 1)

    def forward(self, x, weight, bias=None):
        if x.ndim > 2:  # one GEMM over all leading dimensions: batched matmul loops over them
            out = (x.reshape(-1, x.shape[-1]) @ weight.T).reshape(x.shape[:-1] + weight.shape[:1])
        else:
            out = x @ weight.T
        if bias is not None:
            out += bias  # in place: the matmul result is a fresh array
        return out

    def saved_values(self):
        return _each_needs_the_other(self.needs_input_grad), False

    def backward(self, grad, out):
        x, weight = self.inputs[0], self.inputs[1]
        needs = self.needs_input_grad
        flat_grad = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])
        grad_x = (flat_grad @ weight).reshape(x.shape) if needs[0] else None
        grad_w = grad_b = None
        if needs[1]:
            grad_w = flat_grad.T @ (x if x.ndim == 2 else x.reshape(-1, x.shape[-1]))
        if len(needs) > 2 and needs[2]:
            grad_b = flat_grad.sum(0)
        return (grad_x, grad_w) if len(needs) == 2 else (grad_x, grad_w, grad_b)
