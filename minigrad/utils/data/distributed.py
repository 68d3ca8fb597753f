"""``DistributedSampler``: each rank's share of a data set's indices, as in PyTorch.

Every rank draws the same permutation (seeded by ``seed + epoch``), pads it to a multiple of
the number of replicas by repeating its first indices (or cuts the tail with ``drop_last``),
and keeps every ``num_replicas``-th index starting at its rank:

    num_samples = ceil(N / R)            (drop_last: ceil((N - R) / R) when R does not divide N)
    indices     = perm(N) padded or cut to R * num_samples
    shard(rank) = indices[rank :: R]

So the shards are disjoint up to the padding and together cover the data set. The
permutation comes from NumPy (``default_rng(seed + epoch)``), not from torch.randperm: the
partitioning rule is PyTorch's, the shuffled order is our own.
"""
from __future__ import annotations

import math

import numpy as np


class DistributedSampler:
    """Yields this rank's indices of ``dataset``; call ``set_epoch(epoch)`` before each epoch
    so that shuffling differs between epochs (and agrees between ranks). ``num_replicas``
    and ``rank`` default to the process group's world size and rank."""

    def __init__(self, dataset, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False):
        if num_replicas is None or rank is None:
            from ... import distributed  # only here: the sampler also works without MPI
            if not distributed.is_initialized():
                raise RuntimeError("DistributedSampler needs num_replicas and rank, or an "
                                   "initialized process group (minigrad.distributed."
                                   "init_process_group)")
            num_replicas = distributed.get_world_size() if num_replicas is None else num_replicas
            rank = distributed.get_rank() if rank is None else rank
        if not isinstance(num_replicas, int) or num_replicas <= 0:
            raise ValueError(f"num_replicas must be a positive integer; got {num_replicas!r}")
        if not isinstance(rank, int) or not 0 <= rank < num_replicas:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset, self.num_replicas, self.rank = dataset, num_replicas, rank
        self.shuffle, self.seed, self.drop_last, self.epoch = shuffle, seed, drop_last, 0
        size = len(dataset)
        if drop_last and size % num_replicas:
            self.num_samples = math.ceil((size - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(size / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self):
        size = len(self.dataset)
        if self.shuffle:
            indices = np.random.default_rng(self.seed + self.epoch).permutation(size)
        else:
            indices = np.arange(size)
        if self.drop_last:
            indices = indices[:self.total_size]
        elif self.total_size > size:
            # Pad by repeating the order from its start (as many times as needed).
            indices = np.resize(indices, self.total_size)
        return iter(indices[self.rank:self.total_size:self.num_replicas].tolist())

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch


def shard_loader(loader, seed: int = 0):
    """``loader`` again, but over this rank's DistributedSampler shard of its data set (the
    same batch size per process, as in PyTorch); ``loader`` itself when not distributed."""
    from ... import distributed
    if not distributed.is_initialized():
        return loader
    from .dataloader import DataLoader
    sampler = DistributedSampler(loader.dataset, seed=seed)
    return DataLoader(loader.dataset, loader.batch_size, sampler=sampler,
                      drop_last=loader.drop_last, collate_fn=loader.collate_fn)


def worker_loader(dataset, batch_size: int, seed: int = 0, shuffle: bool = True):
    """For the asynchronous parameter server (``minigrad.distributed.AsyncParameterServer``):
    on a worker rank, a DataLoader over its shard, the data set split among the K-1 workers
    (rank r takes part r-1); None on the server (rank 0)."""
    from ...distributed.process_group import communicator
    from .dataloader import DataLoader
    comm = communicator()
    if comm.Get_rank() == 0:
        return None
    sampler = DistributedSampler(dataset, num_replicas=comm.Get_size() - 1,
                                 rank=comm.Get_rank() - 1, shuffle=shuffle, seed=seed)
    return DataLoader(dataset, batch_size, sampler=sampler)
