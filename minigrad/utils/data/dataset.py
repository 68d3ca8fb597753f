"""Datasets: anything with ``__len__`` and ``__getitem__``.

A dataset that can also fetch a whole batch at once by an array of indices defines
``__getitems__(indices)`` (PyTorch's name); ``DataLoader`` then builds each batch with one
fancy index instead of a Python loop over samples.
"""
from __future__ import annotations

import numpy as np

from ...random import numpy_generator
from ...tensor import Tensor


class Dataset:
    """Base class: subclasses define ``__len__`` and ``__getitem__(i)``."""

    def __len__(self):
        raise NotImplementedError

    def __getitem__(self, index):
        raise NotImplementedError


class TensorDataset(Dataset):
    """Samples are the rows of equally long arrays: ``dataset[i] == (a[i], b[i], ...)``."""

    def __init__(self, *arrays):
        if not arrays:
            raise ValueError("TensorDataset needs at least one array")
        self.arrays = [a.array if isinstance(a, Tensor) else np.asarray(a) for a in arrays]
        lengths = [len(a) for a in self.arrays]
        if len(set(lengths)) != 1:
            raise ValueError(f"TensorDataset arrays must have the same length; got {lengths}")

    def __len__(self):
        return len(self.arrays[0])

    def __getitem__(self, index):
        # Tensors sharing the rows' memory, as PyTorch's TensorDataset returns.
        return tuple(Tensor(a[index]) for a in self.arrays)

    def __getitems__(self, indices):
        return tuple(a[indices] for a in self.arrays)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``."""

    def __init__(self, dataset, indices):
        self.dataset, self.indices = dataset, np.asarray(indices)

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        return self.dataset[self.indices[index]]

    def __getitems__(self, indices):
        return fetch(self.dataset, self.indices[indices])


def random_split(dataset, lengths, generator=None) -> list:
    """Split ``dataset`` into non-overlapping random ``Subset``s of the given lengths, or of
    the given fractions of its length (PyTorch's rounding: the remainder goes one by one to
    the first subsets). ``generator``: a ``minigrad.Generator`` or NumPy Generator (default:
    the framework's)."""
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(0 <= f <= 1 for f in lengths) and abs(sum(lengths) - 1) < 1e-9 \
            and sum(lengths) != n:
        counts = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError(f"random_split: the lengths {lengths} sum to {sum(lengths)}, not to "
                         f"the dataset's length {n}")
    order = numpy_generator(generator).permutation(n)
    bounds = np.cumsum([0] + lengths)
    return [Subset(dataset, order[start:stop]) for start, stop in zip(bounds[:-1], bounds[1:])]


def fetch(dataset, indices: np.ndarray):
    """A batch as a tuple of arrays (or one array, when the samples are single arrays, as
    PyTorch's collation gives): one vectorised fetch when the dataset supports it."""
    if hasattr(dataset, "__getitems__"):
        return dataset.__getitems__(indices)
    samples = [dataset[int(i)] for i in indices]
    if not isinstance(samples[0], (tuple, list)):
        return np.stack([np.asarray(s) for s in samples])  # a bare array: the batch is one tensor
    return tuple(np.stack([np.asarray(s[k]) for s in samples]) for k in range(len(samples[0])))
