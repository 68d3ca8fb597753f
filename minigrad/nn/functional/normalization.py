"""Normalisation over a batch (batch norm), a sample (layer norm, RMS norm) or groups of
channels (group norm); all compositions of primitives."""
import numpy as np

from ...autograd import no_grad
from ...ops.normalization import LayerNormalize
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


def _trailing(normalized_shape) -> tuple:
    return (int(normalized_shape),) if isinstance(normalized_shape, (int, np.integer)) \
        else tuple(int(n) for n in normalized_shape)


def _check_trailing(name, x, normalized_shape):
    if x.ndim < len(normalized_shape) or \
            x.shape[x.ndim - len(normalized_shape):] != normalized_shape:
        raise ValueError(f"{name}: given normalized_shape={list(normalized_shape)}, expected "
                         f"input with shape [*, {', '.join(map(str, normalized_shape))}], but "
                         f"got input of size {list(x.shape)}")
    return tuple(range(-len(normalized_shape), 0))


def layer_norm(input: Tensor, normalized_shape, weight=None, bias=None,
               eps: float = 1e-5) -> Tensor:
    """y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, the statistics over the trailing
    ``normalized_shape`` dimensions of each sample (Ba et al., 2016); the biased variance,
    as PyTorch. weight and bias have shape ``normalized_shape``."""
    normalized_shape = _trailing(normalized_shape)
    _check_trailing("layer_norm", input, normalized_shape)
    # One fused primitive (ops.normalization): forward and backward about 3x faster than
    # the composition (measured on a (32, 16, 64) input).
    out = LayerNormalize.apply(input, ndim=len(normalized_shape), eps=eps)
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def rms_norm(input: Tensor, normalized_shape, weight=None, eps=None) -> Tensor:
    """y = x / sqrt(mean(x^2) + eps) * weight over the trailing ``normalized_shape``
    dimensions (Zhang & Sennrich, 2019). eps=None is the machine epsilon of the input's
    dtype, as PyTorch (torch.finfo(dtype).eps)."""
    normalized_shape = _trailing(normalized_shape)
    dims = _check_trailing("rms_norm", input, normalized_shape)
    if eps is None:
        eps = float(np.finfo(input.dtype).eps)
    out = input / ((input * input).mean(dims, keepdim=True) + eps).sqrt()
    return out if weight is None else out * weight


def group_norm(input: Tensor, num_groups: int, weight=None, bias=None,
               eps: float = 1e-5) -> Tensor:
    """Input (N, C, *): the C channels split into ``num_groups`` groups of C / num_groups;
    each sample's group is normalised by its own mean and biased variance (Wu & He, 2018),
    then y = x_hat * weight[c] + bias[c] per channel."""
    if input.ndim < 2 or input.shape[1] % num_groups:
        raise ValueError(f"group_norm: expected input of shape (N, C, *) with C divisible by "
                         f"num_groups={num_groups}; got shape {input.shape}")
    grouped = input.reshape(input.shape[0], num_groups, -1)
    centered = grouped - grouped.mean(2, keepdim=True)
    variance = (centered * centered).mean(2, keepdim=True)
    out = (centered / (variance + eps).sqrt()).reshape(input.shape)
    channel_shape = (1, input.shape[1]) + (1,) * (input.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(channel_shape)
    if bias is not None:
        out = out + bias.reshape(channel_shape)
    return out
