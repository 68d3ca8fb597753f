"""Sampling: ``multinomial``, ``bernoulli`` and ``normal``, each drawing from a
``generator=`` (a ``minigrad.Generator``) or the framework's stream.

The draws are kernels (``static.hooks.kernel``), so a compiled step draws anew on every
replay. None of them is differentiable (PyTorch's are not either): the results are
integer indices or fresh samples that carry no gradient.
"""
from __future__ import annotations

import numpy as np

from ..dtypes import get_default_dtype
from ..random import numpy_generator
from ..static.hooks import kernel
from ..device import check_device
from ..tensor import Tensor


def multinomial(input, num_samples: int, replacement: bool = False, *, generator=None) -> Tensor:
    """``num_samples`` category indices per row of ``input`` (1-d: one distribution; 2-d:
    one per row), drawn with probability proportional to the row's non-negative weights
    (they need not sum to 1). An int64 tensor of shape (num_samples,) or (rows, num_samples).

    With replacement: inverse-CDF sampling, u ~ U(0, 1) looked up in the row's normalised
    cumulative sums. Without: the exponential race (Gumbel-top-k): with E_i ~ Exp(1), the
    categories in increasing order of E_i / w_i are a draw without replacement of
    probabilities proportional to w, so the first ``num_samples`` of them are the sample.
    Both are vectorised over rows: no Python loop per sample.
    """
    probs = input.array if isinstance(input, Tensor) else np.asarray(input)
    return Tensor._make(kernel(_multinomial, generator, probs, num_samples, replacement),
                        False, None)


def _multinomial(generator, probs, num_samples, replacement):
    """The checks and the draw (one kernel, so a replay checks every step's input too)."""
    if probs.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{probs.dtype}")
    if probs.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim; got shape {probs.shape}")
    if num_samples <= 0:
        raise RuntimeError(f"cannot sample n_sample <= 0 samples (num_samples={num_samples})")
    categories = probs.shape[-1]
    if not replacement and num_samples > categories:
        raise RuntimeError(f"cannot sample n_sample > prob_dist.size(-1) samples without "
                           f"replacement ({num_samples} > {categories})")
    rows = probs.reshape(-1, categories).astype(np.float64)
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = rows.sum(axis=1)
    if (totals <= 0).any():
        row = int(np.argmax(totals <= 0))
        raise RuntimeError(f"invalid multinomial distribution (sum of probabilities <= 0) "
                           f"in row {row}")
    rng = numpy_generator(generator)
    if replacement:
        # Row r's CDF is shifted to [r, r + 1], so one searchsorted serves every row.
        cdf = np.cumsum(rows / totals[:, None], axis=1)
        cdf[:, -1] = 1.0  # rounding must not leave a gap above the last category
        offsets = np.arange(len(rows))[:, None]
        u = rng.random((len(rows), num_samples)) + offsets
        flat = np.searchsorted((cdf + offsets).ravel(), u.ravel(), side="right")
        samples = flat.reshape(u.shape) - offsets * categories
        # A category of weight 0 has an empty interval and is never found; searchsorted's
        # right side makes u exactly on a boundary pick the next category, as u < cdf does.
        samples = np.minimum(samples, categories - 1)
    else:
        with np.errstate(divide="ignore"):  # weight 0: key inf, drawn only after all others
            keys = rng.standard_exponential(rows.shape) / rows
        samples = np.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    return samples.reshape(probs.shape[:-1] + (num_samples,)).astype(np.int64)


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    """1 with probability ``input`` (or the number ``p``), else 0, elementwise; the result
    has ``input``'s dtype, as in PyTorch."""
    probs = input.array if isinstance(input, Tensor) else np.asarray(input)
    return Tensor._make(kernel(_bernoulli, generator, probs, p), False, None)


def _bernoulli(generator, probs, p):
    chance = probs if p is None else np.asarray(p, dtype=np.float64)
    if np.any((chance < 0) | (chance > 1)) or np.any(np.isnan(chance)):
        raise RuntimeError("bernoulli expects all probabilities to be in [0, 1]")
    dtype = probs.dtype if probs.dtype.kind in "fb" else np.dtype(get_default_dtype())
    return (numpy_generator(generator).random(probs.shape) < chance).astype(dtype)


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, pin_memory=False, requires_grad=False) -> Tensor:
    """Samples of N(mean, std^2), elementwise over broadcast ``mean`` and ``std`` (tensors
    or numbers), or of shape ``size`` when both are numbers, as PyTorch's ``torch.normal``."""
    mean_array = mean.array if isinstance(mean, Tensor) else np.asarray(mean)
    std_array = std.array if isinstance(std, Tensor) else np.asarray(std)
    if size is None:
        if mean_array.ndim == 0 and std_array.ndim == 0:
            raise TypeError("normal(mean, std) with two numbers needs a size")
        size = np.broadcast_shapes(mean_array.shape, std_array.shape)
    floats = [a.dtype for a in (mean_array, std_array) if a.dtype.kind == "f" and a.ndim]
    dtype = np.dtype(dtype or (floats[0] if floats else get_default_dtype()))
    if out is not None:
        raise ValueError("normal: out= is not supported by minigrad (use the return value)")
    check_device(device)
    samples = kernel(_normal, generator, mean_array, std_array, tuple(size), dtype)
    # A fresh leaf: requires_grad=True makes it a parameter-like tensor, as in PyTorch.
    return Tensor(samples, requires_grad=True) if requires_grad else \
        Tensor._make(samples, False, None)


def _normal(generator, mean, std, size, dtype):
    if np.any(std < 0):
        raise RuntimeError(f"normal expects std >= 0.0; got a minimum of {std.min()}")
    # Drawn in the result's dtype, as randn draws (float32 stays float32 throughout).
    draw_dtype = dtype if dtype in (np.float32, np.float64) else np.float64
    draws = numpy_generator(generator).standard_normal(size, dtype=draw_dtype)
    return (mean.astype(draw_dtype) + std.astype(draw_dtype) * draws).astype(dtype, copy=False)
