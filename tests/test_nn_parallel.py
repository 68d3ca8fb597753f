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
