"""DistributedDataParallel under mpiexec -n 2: the same parameters as one process on the
whole batches, in float64, for SGD and Adam, with and without DistributedSampler."""
import re

import pytest

from minigrad import nn
from minigrad.nn.parallel import DistributedDataParallel
from mpi_launch import run_mpi, script


def test_two_ranks_match_one_process_on_the_global_batches():
    result = run_mpi(2, [script("ddp_equivalence.py")], timeout=90)
    assert result.returncode == 0, result.stderr
    cases = re.findall(r"(\w+) sampler=(\w+) buckets=(\d+) diff=(\S+) ranks=(\S+) moved=(\S+)",
                       result.stdout)
    assert {(name, sampler) for name, sampler, *_ in cases} == {
        ("sgd", "False"), ("sgd", "True"), ("adam", "False"), ("adam", "True")}
    assert {int(buckets) for _, _, buckets, *_ in cases} == {1, 3}
    for name, sampler, buckets, diff, ranks, moved in cases:
        assert float(diff) < 1e-10, (name, sampler, buckets, diff)
        assert float(ranks) == 0.0  # every rank holds exactly the same parameters
        assert float(moved) > 1e-2  # and training did change them
    assert "batchnorm ok" in result.stdout
    assert "no_sync diff=" in result.stdout  # gradient accumulation under no_sync


def test_needs_a_process_group():
    with pytest.raises(RuntimeError, match="init_process_group"):
        DistributedDataParallel(nn.Linear(2, 2))


@pytest.mark.parametrize("sizes, cap_mb, expected", [
    # (float32 sizes in the order backward produces them, bucket_cap_mb, sizes per bucket)
    ([1290, 200832, 4640, 160], 25.0, [[1290, 200832, 4640, 160]]),  # the CNN: 0.8 MB
    ([200000, 100000, 4640], 25.0, [[200000], [100000, 4640]]),  # past 1 MB: a second bucket
    ([300000, 10, 10], 25.0, [[300000], [10, 10]]),  # over 1 MB: alone in the first bucket
    ([1290, 200832, 4640], 0.25, [[1290], [200832], [4640]]),
    ([100, 100, 100], 25.0, [[100, 100, 100]]),
])
def test_buckets_follow_pytorch_with_a_first_bucket_of_one_megabyte(sizes, cap_mb, expected):
    from minigrad.nn.parallel.distributed import _make_buckets
    import numpy as np
    from minigrad import Tensor
    params = [Tensor._make(np.zeros(n, np.float32), True, None) for n in sizes]
    buckets = _make_buckets(params, int(cap_mb * 2 ** 20))
    assert [[p.array.size for p in b.params] for b in buckets] == expected
