"""Fused softmax cross-entropy: one primitive instead of a dozen, and stable by construction."""
import numpy as np

from ..autograd import Function
from ._common import constant


class CrossEntropy(Function):
    """Softmax cross-entropy of logits z (N, C) against a target distribution q (N, C):

        loss_i = -sum_c q_ic log p_ic,   log p_ic = z_ic - logsumexp_c(z_i)
        d loss_i / d z_ic = p_ic * sum_c q_ic - q_ic

    ``q`` carries the class weights, the label smoothing and the ignored rows (all zeros), so
    this one formula serves every option of ``cross_entropy``. The logsumexp subtracts the
    row maximum first, so the loss is finite for logits of any magnitude. Output: (N,).
    """
    saved_inputs = (0,)

    def forward(self, logits, target_distribution):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.q = target_distribution
        return -(target_distribution * (shifted - log_norm)).sum(axis=1)

    def backward(self, grad, out):
        logits = self.inputs[0]
        q = constant(self.q)
        probabilities = logits.softmax(1)  # recomputed from the graph: second order works
        return (grad.unsqueeze(1) * (probabilities * constant(self.q.sum(1, keepdims=True)) - q),
                None)


class BinaryCrossEntropy(Function):
    """loss = -(y max(ln p, -100) + (1 - y) max(ln(1 - p), -100)), elementwise; PyTorch's
    clamps, and its backward:  dp = g (p - y) / max(p (1 - p), 1e-12),
    dy = g (max(ln(1 - p), -100) - max(ln p, -100))."""
    saved_inputs = (0, 1)

    def forward(self, p, y):
        with np.errstate(divide="ignore"):
            self.log_p = np.maximum(np.log(p), -100)
            self.log_1mp = np.maximum(np.log1p(-p), -100)
        return -(y * self.log_p + (1 - y) * self.log_1mp)

    def backward(self, grad, out):
        p, y = self.inputs
        grad_p = grad_y = None
        if self.needs_input_grad[0]:
            grad_p = grad * (p - y) / (p * (1.0 - p)).clamp(min=1e-12)
        if self.needs_input_grad[1]:
            grad_y = grad * constant(self.log_1mp - self.log_p)
        return grad_p, grad_y
