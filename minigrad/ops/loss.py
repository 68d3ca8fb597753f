"""Fused softmax cross-entropy: one primitive instead of a dozen, and stable by construction."""
import numpy as np

from ..autograd import Function, is_grad_enabled
from ..static.hooks import kernel
from ._common import constant


class CrossEntropy(Function):
    """Softmax cross-entropy of logits z (N, C) against a target distribution q (N, C):

        loss_i = -sum_c q_ic log p_ic,   log p_ic = z_ic - logsumexp_c(z_i)
        d loss_i / d z_ic = p_ic * sum_c q_ic - q_ic

    ``q`` carries the class weights, the label smoothing and the ignored rows (all zeros), so
    this one formula serves every option of ``cross_entropy``. ``scale`` (a number, or None)
    fuses the reduction: the output is scale * sum_i loss_i, a scalar ('mean' and 'sum');
    with None it is the vector of loss_i ('none'). The logsumexp subtracts the row maximum
    first, so the loss is finite for logits of any magnitude.
    """
    saved_inputs = (0,)

    def forward(self, logits, target_distribution, scale=None):
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        self.q, self.probabilities, self.scale = target_distribution, exp / total, scale
        losses = -(target_distribution * (shifted - np.log(total))).sum(axis=1)
        return losses if scale is None else np.asarray(losses.sum() * scale, dtype=logits.dtype)

    def backward(self, grad, out):
        # The scale goes through a kernel: under minigrad.compile it can change between steps.
        row_grad = grad if self.scale is None else \
            grad * constant(kernel(np.asarray, self.scale, grad.dtype))
        if self.scale is None:
            row_grad = row_grad.unsqueeze(1)
        if is_grad_enabled():
            # Differentiating twice: the probabilities must be a function of the logits.
            q_total = kernel(np.sum, self.q, 1, keepdims=True)
            local = self.inputs[0].softmax(1) * constant(q_total) - constant(self.q)
            return row_grad * local, None
        # Otherwise the forward's numbers serve, and the whole local gradient is one array.
        return row_grad * constant(kernel(_local_gradient, self.probabilities, self.q)), None


def _local_gradient(probabilities, q):
    """d loss_i / d z_ic = p_ic * sum_c q_ic - q_ic, in one new array."""
    local = probabilities * q.sum(1, keepdims=True)
    local -= q
    return local


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
            grad_y = grad * constant(kernel(np.subtract, self.log_1mp, self.log_p))
        return grad_p, grad_y
