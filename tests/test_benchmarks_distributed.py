"""The scaling benchmark's worker runs under mpiexec and reports what the README quotes."""
import os

import pytest

from benchmarks import distributed
from mpi_launch import ROOT, mpiexec_command

HAS_MNIST = os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist"))


@pytest.mark.skipif(not HAS_MNIST, reason="needs MNIST in $MINIGRAD_DATA")
def test_two_process_run_reports_throughput_and_communication(monkeypatch):
    mpiexec_command(2)  # skips without mpi4py / mpiexec
    monkeypatch.chdir(ROOT)  # the ranks run "python -m benchmarks.distributed"
    result = distributed.run_config(2, 0.25, steps=3, batch=16)
    assert result["world"] == 2 and result["buckets"] == 2  # 0.25 MB: W1 alone, the rest
    assert result["samples_per_second"] > 0 and result["allreduce_ms"] > 0
    assert 0 <= result["wait_ms"] <= result["step_ms"]
    table = distributed.report({"steps": 3, "rounds": 1, "batch_per_process": 16,
                                "configs": {"2 processes": {**result, "efficiency": 0.5}}})
    assert "2 processes" in table and "50%" in table


@pytest.mark.skipif(not HAS_MNIST, reason="needs MNIST in $MINIGRAD_DATA")
def test_the_cnn_runs_data_parallel_and_the_table_splits_compute_from_waiting(monkeypatch):
    mpiexec_command(2)
    monkeypatch.chdir(ROOT)
    result = distributed.run_config(2, 0.25, steps=2, batch=8, model="cnn")
    assert result["world"] == 2 and result["buckets"] >= 2  # 0.25 MB: fc1's weight alone
    assert 0 <= result["wait_ms"] <= result["step_ms"]
    result = {**result, "efficiency": 0.9, "compute_ms": result["step_ms"] - result["wait_ms"]}
    table = distributed.report({"steps": 6, "rounds": 1, "batch_per_process": 8,
                                "configs": {"CNN 2 processes, small buckets": result}})
    row = next(line for line in table.splitlines() if line.startswith("CNN 2 processes"))
    assert "90%" in row and f"{result['compute_ms']:.2f}" in row and "compute ms" in table
