"""Batch normalisation."""

from ...autograd import no_grad
from ...static.hooks import kernel
from ...tensor import Tensor


def batch_norm(x: Tensor, running_mean, running_var, weight=None, bias=None,
               training: bool = False, momentum=0.1, eps: float = 1e-5,
               num_batches_tracked=None) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias, per channel (dimension 1).

    Training (or no running statistics): mean and the *biased* variance of this batch, and the
    running statistics are updated in place with the *unbiased* variance, as PyTorch does:
        running = (1 - momentum) * running + momentum * batch_statistic,
    with momentum=None meaning a cumulative average (momentum = 1 / batches seen).
    Evaluation: the running statistics.
    """
    if x.ndim < 2:
        raise ValueError(f"batch_norm expects input of shape (N, C, ...); got {x.shape}")
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    use_batch_statistics = training or running_mean is None
    if use_batch_statistics:
        count = x.numel() // x.shape[1]
        if training and count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {x.shape}")
        mean = x.mean(axes, keepdim=True)
        centered = x - mean
        var = (centered * centered).mean(axes, keepdim=True)
        if training and running_mean is not None:
            kernel(_update_running, running_mean, running_var, mean.array, var.array, count,
                   momentum, num_batches_tracked)
    else:
        mean = Tensor(running_mean.array.reshape(shape))
        var = Tensor(running_var.array.reshape(shape))
        centered = x - mean
    out = centered / (var + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def _update_running(running_mean, running_var, mean, var, count, momentum, num_batches_tracked):
    with no_grad():
        if num_batches_tracked is not None:
            num_batches_tracked.array[...] += 1
        factor = (1.0 / float(num_batches_tracked.array)) if momentum is None else momentum
        unbiased = var.reshape(-1) * (count / (count - 1))
        running_mean.array[...] = (1 - factor) * running_mean.array + factor * mean.reshape(-1)
        running_var.array[...] = (1 - factor) * running_var.array + factor * unbiased
        running_mean._version += 1
        running_var._version += 1
