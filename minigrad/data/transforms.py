"""Transforms: functions of a whole batch of samples (arrays), so they cost one vectorised
operation per batch. Fitted scalers learn their statistics on the training set and are then
applied unchanged to every split."""
from __future__ import annotations

import numpy as np


class Compose:
    """Apply transforms in order."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, x):
        for transform in self.transforms:
            x = transform(x)
        return x

    @property
    def batchable(self) -> bool:
        """Whether every transform also has a ``batch`` form (torchvision-style per-sample
        transforms, see vision_transforms.py), so a dataset can run the chain once per batch."""
        return all(getattr(t, "batchable", False) for t in self.transforms)

    def batch(self, x):
        for transform in self.transforms:
            x = transform.batch(x)
        return x

    def __repr__(self):
        return "Compose(\n" + "".join(f"    {t!r}\n" for t in self.transforms) + ")"


class ToFloat:
    """uint8 pixels -> float32 in [0, 1] (x / 255)."""

    def __call__(self, x):
        return np.asarray(x, dtype=np.float32) * np.float32(1 / 255)


class ToTensor:
    """PyTorch's ToTensor for grey images: uint8 (..., H, W) -> float32 (..., 1, H, W) in
    [0, 1]: scaled, with a channel axis inserted so convolutions get (N, C, H, W)."""

    def __call__(self, x):
        return ToFloat()(x)[..., None, :, :]


class Normalize:
    """(x - mean) / std with fixed statistics, e.g. MNIST's Normalize(0.1307, 0.3081)."""

    def __init__(self, mean, std):
        if np.any(np.asarray(std) <= 0):
            raise ValueError(f"Normalize needs a positive std; got {std}")
        self.mean = np.float32(mean) if np.isscalar(mean) else np.asarray(mean, np.float32)
        self.std = np.float32(std) if np.isscalar(std) else np.asarray(std, np.float32)

    def __call__(self, x):
        return (np.asarray(x, dtype=np.float32) - self.mean) / self.std


class _FittedScaler:
    axis = 0

    def fit(self, x):
        x = np.asarray(x, dtype=np.float64)
        self._fit(x.reshape(len(x), -1))
        return self

    def __call__(self, x):
        if not hasattr(self, "scale_"):
            raise RuntimeError(f"{type(self).__name__} must be fit() on the training data first")
        x = np.asarray(x, dtype=np.float32)
        flat = x.reshape(len(x), -1)
        return ((flat - self.offset_) * self.scale_).reshape(x.shape)

    transform = __call__

    def fit_transform(self, x):
        return self.fit(x)(x)


class MinMaxScaler(_FittedScaler):
    """Per feature: (x - min) / (max - min), with min and max from the training set (a
    constant feature maps to 0)."""

    def _fit(self, x):
        low, high = x.min(0), x.max(0)
        span = np.where(high > low, high - low, 1.0)
        self.offset_, self.scale_ = low.astype(np.float32), (1.0 / span).astype(np.float32)


class StandardScaler(_FittedScaler):
    """Per feature: (x - mean) / std, with the training set's mean and (biased) std (a constant
    feature maps to 0)."""

    def _fit(self, x):
        mean, std = x.mean(0), x.std(0)
        self.offset_ = mean.astype(np.float32)
        self.scale_ = (1.0 / np.where(std > 0, std, 1.0)).astype(np.float32)
