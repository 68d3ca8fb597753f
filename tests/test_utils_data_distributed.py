"""DistributedSampler: PyTorch's partitioning, checked against its formulas; DataLoader's
``sampler=``."""
import math

import numpy as np
import pytest

from minigrad.data import DataLoader, DistributedSampler, TensorDataset


def shards(size, replicas, **options):
    dataset = TensorDataset(np.arange(size))
    return [list(DistributedSampler(dataset, num_replicas=replicas, rank=r, **options))
            for r in range(replicas)]


@pytest.mark.parametrize("size,replicas", [(10, 2), (10, 3), (7, 4), (3, 5), (12, 4), (1, 2)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_shards_cover_the_data_set_padded_by_repeating_its_start(size, replicas, shuffle):
    parts = shards(size, replicas, shuffle=shuffle, seed=1)
    per_rank = math.ceil(size / replicas)
    assert [len(p) for p in parts] == [per_rank] * replicas
    order = [parts[i % replicas][i // replicas] for i in range(per_rank * replicas)]
    # PyTorch's rule: the order, then its first items again until the total is reached.
    assert sorted(order[:size]) == list(range(size))
    assert order[size:] == (order[:size] * replicas)[:per_rank * replicas - size]
    if not shuffle:
        assert order[:size] == list(range(size))


@pytest.mark.parametrize("size,replicas", [(10, 3), (7, 4), (12, 4), (5, 2)])
def test_drop_last_cuts_the_tail_and_shards_are_disjoint(size, replicas):
    parts = shards(size, replicas, drop_last=True, seed=2)
    expected = (math.ceil((size - replicas) / replicas) if size % replicas
                else size // replicas)
    assert all(len(p) == expected for p in parts)
    flat = [i for p in parts for i in p]
    assert len(set(flat)) == len(flat) == expected * replicas


def test_epochs_reshuffle_and_every_rank_agrees():
    dataset = TensorDataset(np.arange(20))
    samplers = [DistributedSampler(dataset, num_replicas=2, rank=r, seed=4) for r in range(2)]
    first = [list(s) for s in samplers]
    for s in samplers:
        s.set_epoch(1)
    second = [list(s) for s in samplers]
    assert first != second
    for part in (first, second):
        assert sorted(part[0] + part[1]) == list(range(20))
    assert list(samplers[0]) == second[0]  # the same epoch gives the same order again


def test_bad_rank_and_missing_process_group():
    dataset = TensorDataset(np.arange(4))
    with pytest.raises(ValueError,
                       match=r"Invalid rank 2, rank should be in the interval \[0, 1\]"):
        DistributedSampler(dataset, num_replicas=2, rank=2)
    with pytest.raises(ValueError, match="num_replicas"):
        DistributedSampler(dataset, num_replicas=0, rank=0)
    with pytest.raises(RuntimeError, match="init_process_group"):
        DistributedSampler(dataset)


def test_dataloader_follows_the_sampler():
    dataset = TensorDataset(np.arange(10) * 10)
    sampler = DistributedSampler(dataset, num_replicas=3, rank=1, shuffle=False)
    loader = DataLoader(dataset, batch_size=2, sampler=sampler)
    assert len(loader) == 2
    assert [batch[0].array.tolist() for batch in loader] == [[10, 40], [70, 0]]
    with pytest.raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(dataset, batch_size=2, sampler=sampler, shuffle=True)
