"""Negative log-likelihoods of regression targets: Gaussian (a predicted mean and variance)
and Poisson (a predicted rate), with PyTorch's formulas and defaults."""
import math

import numpy as np

from ...functional import where
from ...tensor import Tensor
from .loss import _check_reduction, _reduce, legacy_reduction


def gaussian_nll_loss(input: Tensor, target, var, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """0.5 (ln max(var, eps) + (input - target)^2 / max(var, eps)) (+ 0.5 ln 2 pi if
    ``full``). ``var`` may have one dimension less than input or size 1 in a dimension (it is
    broadcast). The clamp at eps is invisible to the gradient, as in PyTorch."""
    _check_reduction(reduction)
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target, input.dtype))
    var = var if isinstance(var, Tensor) else Tensor(np.asarray(var, input.dtype))
    if var.shape != input.shape and var.ndim == input.ndim - 1 \
            and var.shape == input.shape[:-1]:
        var = var.unsqueeze(-1)  # one variance per sample, for every output dimension
    try:
        np.broadcast_shapes(var.shape, input.shape)
    except ValueError:
        raise ValueError(f"gaussian_nll_loss: var of shape {var.shape} does not match input of "
                         f"shape {input.shape}") from None
    if (var.array < 0).any():
        raise ValueError("gaussian_nll_loss: var has negative entries")
    clamped = var + (var.clamp(min=eps) - var).detach()  # the value clamped, the gradient not
    losses = (clamped.log() + (input - target) ** 2 / clamped) * 0.5
    if full:
        losses = losses + 0.5 * math.log(2 * math.pi)
    return _reduce(losses, reduction)


def poisson_nll_loss(input: Tensor, target, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """e^input - target input for a log-rate input (``log_input``), else input - target
    ln(input + eps); ``full`` adds Stirling's approximation of ln(target!), target ln target
    - target + 0.5 ln(2 pi target), where target > 1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target, input.dtype))
    if log_input:
        losses = input.exp() - target * input
    else:
        losses = input - target * (input + eps).log()
    if full:
        above_one = target.array > 1
        safe = where(above_one, target, 1.0)  # logs of targets <= 1 are never used
        stirling = safe * safe.log() - safe + 0.5 * (safe * (2 * math.pi)).log()
        losses = losses + where(above_one, stirling, 0.0)
    return _reduce(losses, reduction)
