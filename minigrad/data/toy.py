"""Toy data sets in two dimensions (and one for regression), pure NumPy and seeded.

Each classification set returns ``(X, y)``: a float32 Tensor of shape (n_samples, 2) and an
int64 Tensor of labels. Where scikit-learn has the function, the arguments mean the same
(scikit-learn's ``random_state`` is ``seed`` here, ``cluster_std`` is ``std``). ``noise``
is the standard deviation of Gaussian noise, so ``noise=0`` gives the exact geometry.
``seed=None`` draws from minigrad's generator (so ``manual_seed`` fixes it too); an integer
uses a generator of its own and leaves the framework's stream untouched.

Classes are as balanced as the count allows: class k gets ``n_samples // n_classes``
points, plus one for each of the first ``n_samples % n_classes`` classes.
"""
from __future__ import annotations

import numpy as np

from ..random import generator as framework_generator
from ..tensor import Tensor


def _rng(seed) -> np.random.Generator:
    if seed is None:
        return framework_generator()
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be None or a non-negative integer; got {seed!r}")
    return np.random.default_rng(int(seed))


def _check(n_samples, noise, minimum=1):
    if not isinstance(n_samples, (int, np.integer)) or isinstance(n_samples, bool) \
            or n_samples < minimum:
        raise ValueError(f"n_samples must be an integer >= {minimum}; got {n_samples!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0; got {noise!r}")


def _two_groups(n_samples) -> tuple[int, int]:
    """scikit-learn's convention: an int n splits as (n // 2, n - n // 2); a pair is kept."""
    if isinstance(n_samples, (tuple, list)):
        if len(n_samples) != 2:
            raise ValueError(f"n_samples as a sequence must hold two counts (outer, inner); "
                             f"got {n_samples!r}")
        for count in n_samples:
            _check(count, 0.0)
        return int(n_samples[0]), int(n_samples[1])
    _check(n_samples, 0.0, minimum=2)
    return n_samples // 2, n_samples - n_samples // 2


def _split(n_samples, n_parts) -> list[int]:
    """Sizes of ``n_parts`` groups as equal as possible, the first ones larger."""
    return [n_samples // n_parts + (k < n_samples % n_parts) for k in range(n_parts)]


def _finish(points, labels, noise, shuffle, rng):
    """Add the noise, shuffle the rows together, and wrap as (float32 X, int64 y)."""
    if noise > 0:
        points = points + rng.normal(scale=noise, size=points.shape)
    if shuffle:
        order = rng.permutation(len(labels))
        points, labels = points[order], labels[order]
    return Tensor(points.astype(np.float32)), Tensor(labels.astype(np.int64))


def make_moons(n_samples: int = 100, noise: float = 0.0, seed=None, shuffle: bool = True):
    """Two interleaved half circles of radius 1 (scikit-learn's ``make_moons``):

        class 0:  (cos t, sin t)               t in [0, pi]
        class 1:  (1 - cos t, 1/2 - sin t)     t in [0, pi]

    with ``n_samples // 2`` points (evenly spaced in t) on the first moon and the rest on
    the second (or ``n_samples = (outer, inner)`` points), then Gaussian noise of standard
    deviation ``noise``."""
    n_outer, n_inner = _two_groups(n_samples)
    _check(n_outer + n_inner, noise)
    rng = _rng(seed)
    t_outer, t_inner = np.linspace(0, np.pi, n_outer), np.linspace(0, np.pi, n_inner)
    points = np.concatenate([np.stack([np.cos(t_outer), np.sin(t_outer)], 1),
                             np.stack([1 - np.cos(t_inner), 0.5 - np.sin(t_inner)], 1)])
    labels = np.repeat([0, 1], [n_outer, n_inner])
    return _finish(points, labels, noise, shuffle, rng)


def make_circles(n_samples: int = 100, noise: float = 0.0, factor: float = 0.8, seed=None,
                 shuffle: bool = True):
    """Two concentric circles (scikit-learn's ``make_circles``): ``n_samples // 2`` points
    evenly spaced on the unit circle (class 0), the rest on the circle of radius ``factor``
    (class 1, 0 <= factor < 1), or ``n_samples = (outer, inner)`` points; then Gaussian
    noise of standard deviation ``noise``."""
    n_outer, n_inner = _two_groups(n_samples)
    _check(n_outer + n_inner, noise)
    if not 0 <= factor < 1:
        raise ValueError(f"factor must be in [0, 1); got {factor!r}")
    rng = _rng(seed)
    # endpoint=False: the angle 2 pi would repeat the point at angle 0
    t_outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0, 2 * np.pi, n_inner, endpoint=False)
    points = np.concatenate([np.stack([np.cos(t_outer), np.sin(t_outer)], 1),
                             factor * np.stack([np.cos(t_inner), np.sin(t_inner)], 1)])
    labels = np.repeat([0, 1], [n_outer, n_inner])
    return _finish(points, labels, noise, shuffle, rng)


def make_blobs(n_samples: int = 100, centers=3, std: float = 1.0, seed=None,
               center_box=(-10.0, 10.0), shuffle: bool = True):
    """Isotropic Gaussian blobs (scikit-learn's ``make_blobs`` in two dimensions): point i
    of class k is ``centers[k] + std * N(0, I)``. ``centers`` is a number of centres, drawn
    uniformly in ``center_box`` on both axes, or an array of shape (k, 2)."""
    _check(n_samples, std)
    rng = _rng(seed)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        if centers < 1:
            raise ValueError(f"centers must be at least 1; got {centers}")
        centers = rng.uniform(center_box[0], center_box[1], size=(int(centers), 2))
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2 or len(centers) == 0:
        raise ValueError(f"centers must be a count or an array of shape (k, 2); got shape "
                         f"{centers.shape}")
    labels = np.repeat(np.arange(len(centers)), _split(n_samples, len(centers)))
    return _finish(centers[labels], labels, std, shuffle, rng)


def make_spirals(n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, seed=None,
                 shuffle: bool = True):
    """cs231n's spiral: ``n_classes`` arms winding out from the origin. Point i of the m
    points of class k sits at radius r_i and angle t_i:

        r_i = i / (m - 1),   t_i = 4 k + 4 r_i + noise * N(0, 1),   x = (r sin t, r cos t)

    so the noise (in radians) moves points along their circle, off their arm."""
    _check(n_samples, noise, minimum=n_classes)
    if not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer; got {n_classes!r}")
    rng = _rng(seed)
    sizes = _split(n_samples, n_classes)
    labels = np.repeat(np.arange(n_classes), sizes)
    radius = np.concatenate([np.linspace(0.0, 1.0, m) for m in sizes])
    angle = 4.0 * labels + 4.0 * radius + noise * rng.standard_normal(n_samples)
    points = radius[:, None] * np.stack([np.sin(angle), np.cos(angle)], 1)
    return _finish(points, labels, 0.0, shuffle, rng)


def make_xor(n_samples: int = 200, noise: float = 0.0, seed=None, shuffle: bool = True):
    """XOR of the signs: points uniform in the square [-1, 1]^2, class 1 where x and y have
    opposite signs (x * y < 0), then Gaussian noise of standard deviation ``noise``. The two
    classes get ``n_samples // 2`` and the rest points, each spread over its two
    quadrants."""
    _check(n_samples, noise, minimum=2)
    rng = _rng(seed)
    labels = np.repeat([0, 1], _split(n_samples, 2))
    # Draw magnitudes, then signs: class 0 in quadrants I and III, class 1 in II and IV.
    magnitude = rng.uniform(0.0, 1.0, size=(n_samples, 2))
    sign_x = rng.choice([-1.0, 1.0], size=n_samples)
    sign_y = np.where(labels == 1, -sign_x, sign_x)
    points = magnitude * np.stack([sign_x, sign_y], 1)
    return _finish(points, labels, noise, shuffle, rng)


def make_sine(n_samples: int = 200, noise: float = 0.1, seed=None):
    """1-D regression: x uniform in [-pi, pi], target ``sin(x) + noise * N(0, 1)``. Returns
    float32 Tensors of shape (n_samples, 1) each, ready for ``mse_loss(model(X), y)``."""
    _check(n_samples, noise)
    rng = _rng(seed)
    x = rng.uniform(-np.pi, np.pi, size=(n_samples, 1))
    y = np.sin(x) + noise * rng.standard_normal((n_samples, 1))
    return Tensor(x.astype(np.float32)), Tensor(y.astype(np.float32))


TOY_DATASETS = {"moons": make_moons, "circles": make_circles, "blobs": make_blobs,
                "spirals": make_spirals, "xor": make_xor}
