"""Exercise layernorm: layer normalisation over the last dimension, PyTorch's F.layer_norm.

    mu[n] = (1/D) sum_d x[n, d]              (per row; x is (N, D))
    var[n] = (1/D) sum_d (x[n, d] - mu[n])^2
    x_hat = (x - mu) / sqrt(var + eps)
    out = weight * x_hat + bias              weight, bias (D,)

Return (dL/dx, dL/dweight, dL/dbias, None for eps) given grad_output = g. It is batchnorm
turned sideways: the statistics are per row, over D features, and weight/bias are shared by
all rows. Each x[n, d] is used three times (directly, through mu[n], through var[n]).
With g_hat = g * weight, dL/dx can be written with x_hat, the row sums of g_hat and the row
sums of g_hat * x_hat (keepdim=True).
"""
from minigrad.autograd import Function


class LayerNorm(Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        mu = x.mean(-1, keepdim=True)
        var = ((x - mu) ** 2).mean(-1, keepdim=True)
        inv_std = 1 / (var + eps).sqrt()
        x_hat = (x - mu) * inv_std
        ctx.save_for_backward(x_hat, inv_std, weight)
        return weight * x_hat + bias

    @staticmethod
    def backward(ctx, grad_output):
        x_hat, inv_std, weight = ctx.saved_tensors
        # BEGIN SOLUTION
        d = x_hat.shape[-1]
        g_hat = grad_output * weight
        grad_x = inv_std / d * (d * g_hat - g_hat.sum(-1, keepdim=True)
                                - x_hat * (g_hat * x_hat).sum(-1, keepdim=True))
        return grad_x, (grad_output * x_hat).sum(0), grad_output.sum(0), None
        # END SOLUTION
