"""Matrix multiplication, the one op where most of the time goes."""
import numpy as np

from ..autograd import Function


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
