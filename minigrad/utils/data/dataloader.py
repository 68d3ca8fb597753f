"""``DataLoader``: batches of Tensors from a dataset, optionally shuffled."""
from __future__ import annotations

import math

import numpy as np

from ...random import numpy_generator
from ...tensor import Tensor
from .dataset import fetch


class DataLoader:
    """Iterates over ``dataset`` in batches of ``batch_size`` (the last one smaller unless
    ``drop_last``). With ``shuffle``, each pass draws a fresh permutation from ``generator``
    (a ``minigrad.Generator``, as PyTorch's ``generator=``, or a NumPy Generator; by default
    the framework's, so ``manual_seed`` and checkpointed RNG state make the order
    reproducible; a seeded Generator makes it independent of the global seed). ``sampler`` (an iterable of indices with a length,
    e.g. a DistributedSampler) fixes the order instead, as in PyTorch; it excludes
    ``shuffle``. Each batch is a tuple of Tensors (one Tensor when the samples are single
    tensors, as PyTorch collates them)."""

    def __init__(self, dataset, batch_size: int = 1, shuffle: bool = False,
                 drop_last: bool = False, generator=None,
                 sampler=None, num_workers: int = 0, pin_memory: bool = False):
        # num_workers and pin_memory are accepted for PyTorch programs; batches are always
        # built in this process (one vectorised fetch each), and there is no GPU to pin for.
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size!r}")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        self.dataset, self.batch_size, self.sampler = dataset, batch_size, sampler
        self.shuffle, self.drop_last, self.generator = shuffle, drop_last, generator

    def __len__(self):
        n = len(self.dataset if self.sampler is None else self.sampler)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        if self.sampler is not None:
            order = np.fromiter(iter(self.sampler), dtype=np.int64)
        elif self.shuffle:
            order = numpy_generator(self.generator).permutation(n)
        else:
            order = np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            indices = order[start:start + self.batch_size]
            batch = fetch(self.dataset, indices)
            yield tuple(Tensor(a) for a in batch) if isinstance(batch, tuple) else Tensor(batch)
