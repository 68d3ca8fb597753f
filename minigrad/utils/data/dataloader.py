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
    ``shuffle``; ``batch_sampler`` (an iterable of index lists) fixes whole batches. Each
    batch is a tuple of Tensors (one Tensor when the samples are single tensors, as PyTorch
    collates them), fetched in one vectorised step; a ``collate_fn`` instead receives the
    list of samples and makes the batch itself (``default_collate`` is PyTorch's rule).
    ``batch_size=None`` yields the samples one by one, arrays converted to Tensors.

    PyTorch's full signature; ``num_workers``, ``pin_memory``, ``timeout``,
    ``worker_init_fn``, ``multiprocessing_context``, ``prefetch_factor``,
    ``persistent_workers``, ``pin_memory_device`` and ``in_order`` are accepted for PyTorch
    programs: batches are always built in this process, and there is no GPU to pin for."""

    def __init__(self, dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler=None, batch_sampler=None, num_workers: int = 0, collate_fn=None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn=None, multiprocessing_context=None,
                 generator=None, *, prefetch_factor=None,
                 persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True):
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size!r}")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None
                                          or drop_last):
            raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                             "shuffle, sampler, and drop_last")
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"collate_fn must be callable; got {type(collate_fn).__name__}")
        self.dataset, self.sampler, self.batch_sampler = dataset, sampler, batch_sampler
        self.batch_size = None if batch_sampler is not None else batch_size
        self.shuffle, self.drop_last, self.generator = bool(shuffle), drop_last, generator
        self.collate_fn = collate_fn

    def __len__(self):
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.dataset if self.sampler is None else self.sampler)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self) -> np.ndarray:
        """The sample indices of one pass, in order."""
        if self.sampler is not None:
            return np.fromiter(iter(self.sampler), dtype=np.int64)
        if self.shuffle:
            return numpy_generator(self.generator).permutation(len(self.dataset))
        return np.arange(len(self.dataset))

    def __iter__(self):
        if self.batch_sampler is not None:
            batches = (np.asarray(list(indices), dtype=np.int64) for indices in self.batch_sampler)
        elif self.batch_size is None:  # no batching: one converted sample at a time
            for index in self._order():
                yield _converted(self.dataset[int(index)])
            return
        else:
            order = self._order()
            batches = (order[start:start + self.batch_size]
                       for start in range(0, len(self) * self.batch_size, self.batch_size))
        for indices in batches:
            if self.collate_fn is not None:
                yield self.collate_fn([self.dataset[int(i)] for i in indices])
                continue
            batch = fetch(self.dataset, indices)
            yield tuple(Tensor(a) for a in batch) if isinstance(batch, tuple) else Tensor(batch)


def _converted(sample):
    """A sample with its NumPy arrays as Tensors (PyTorch's default_convert)."""
    if isinstance(sample, np.ndarray):
        return Tensor(sample)
    if isinstance(sample, tuple):
        return tuple(_converted(item) for item in sample)
    return sample
