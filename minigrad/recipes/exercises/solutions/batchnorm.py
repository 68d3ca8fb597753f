"""Exercise batchnorm: batch normalisation in training mode, PyTorch's F.batch_norm.

    mu = (1/N) sum_n x[n]                    (per feature, over the batch; x is (N, D))
    var = (1/N) sum_n (x[n] - mu)^2          (biased, as PyTorch normalises with)
    x_hat = (x - mu) / sqrt(var + eps)
    out = gamma * x_hat + beta               gamma, beta (D,)

Return all three gradients (dL/dx, dL/dgamma, dL/dbeta, None for eps) given grad_output = g.
gamma and beta are the easy ones (sums over the batch). x is the hard one: each x[n] is used
three times, directly, through mu and through var, so dL/dx has three terms. Useful pieces:
d mu / d x[n] = 1/N, d var / d x[n] = 2 (x[n] - mu) / N. Worked out, everything can be written
with x_hat, sum_n g_hat[n] and sum_n g_hat[n] x_hat[n], where g_hat = g * gamma.
"""
from minigrad.autograd import Function


class BatchNorm(Function):
    @staticmethod
    def forward(ctx, x, gamma, beta, eps):
        mu = x.mean(0)
        var = ((x - mu) ** 2).mean(0)
        inv_std = 1 / (var + eps).sqrt()
        x_hat = (x - mu) * inv_std
        ctx.save_for_backward(x_hat, inv_std, gamma)
        return gamma * x_hat + beta

    @staticmethod
    def backward(ctx, grad_output):
        x_hat, inv_std, gamma = ctx.saved_tensors
        # BEGIN SOLUTION
        n = x_hat.shape[0]
        g_hat = grad_output * gamma
        grad_x = inv_std / n * (n * g_hat - g_hat.sum(0) - x_hat * (g_hat * x_hat).sum(0))
        return grad_x, (grad_output * x_hat).sum(0), grad_output.sum(0), None
        # END SOLUTION
