"""torchvision's transforms for tensors: ``Compose``, ``ToTensor``, ``Normalize``, ``Lambda``
(and, from ``vision_augment``, the geometric ones: ``Resize``, crops, flips, ``Pad``).

Each transform is called on one sample, as in torchvision. ``ToTensor`` and ``Normalize`` also
have a ``batch`` form that does the same arithmetic on a whole batch at once; a dataset uses it
when every transform in the chain has one (a ``Lambda`` does not), so the usual
``Compose([ToTensor(), Normalize(...)])`` costs one vectorised operation per batch.
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .transforms import Compose  # noqa: F401  (one Compose for both kinds of transform)
from .vision_augment import (CenterCrop, Pad, RandomCrop, RandomHorizontalFlip,  # noqa: F401
                             RandomVerticalFlip, Resize)


def _array(x) -> np.ndarray:
    return x.array if isinstance(x, Tensor) else np.asarray(x)


class ToTensor:
    """An image as a float tensor C x H x W: a uint8 H x W (grey) or H x W x C image becomes
    float32 in [0, 1] (divided by 255); other dtypes keep their values (torchvision's rule)."""

    batchable = True

    def __call__(self, pic):
        image = _array(pic)
        if image.ndim not in (2, 3):
            raise ValueError(f"ToTensor expects an H x W or H x W x C image; got shape "
                             f"{image.shape}")
        return Tensor(self._convert(image[None])[0])

    def batch(self, images):
        return self._convert(_array(images))

    @staticmethod
    def _convert(images: np.ndarray) -> np.ndarray:
        # (N, H, W) -> (N, 1, H, W); (N, H, W, C) -> (N, C, H, W)
        images = images[:, None] if images.ndim == 3 else images.transpose(0, 3, 1, 2)
        if images.dtype == np.uint8:
            return images.astype(np.float32) / np.float32(255)
        return np.ascontiguousarray(images)

    def __repr__(self):
        return "ToTensor()"


class Normalize:
    """(x - mean[c]) / std[c] for each channel c of a C x H x W tensor, e.g. MNIST's
    ``Normalize((0.1307,), (0.3081,))``."""

    batchable = True

    def __init__(self, mean, std, inplace=False):
        self.mean = np.asarray(mean, dtype=np.float32).reshape(-1, 1, 1)
        self.std = np.asarray(std, dtype=np.float32).reshape(-1, 1, 1)
        if np.any(self.std <= 0):
            raise ValueError(f"Normalize needs a positive std; got {std}")

    def __call__(self, tensor):
        return Tensor(self.batch(tensor))

    def batch(self, x):
        # (C, 1, 1) broadcasts over one image (C, H, W) and over a batch (N, C, H, W) alike
        x = _array(x)
        return ((x - self.mean) / self.std).astype(x.dtype, copy=False)

    def __repr__(self):
        return f"Normalize(mean={self.mean.ravel().tolist()}, std={self.std.ravel().tolist()})"


class Lambda:
    """A user function as a transform, applied to one sample at a time."""

    batchable = False

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Lambda expects a callable; got {type(lambd).__name__}")
        self.lambd = lambd

    def __call__(self, x):
        return self.lambd(x)

    def __repr__(self):
        return "Lambda()"
