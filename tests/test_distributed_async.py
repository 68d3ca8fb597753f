"""Asynchronous SGD with a parameter server, under mpiexec."""
import json
import os
import re
from pathlib import Path

import pytest

from mpi_launch import run_mpi, script


def result_of(processes):
    run = run_mpi(processes, [script("async_sgd.py")], timeout=90)
    assert run.returncode == 0, run.stderr
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def test_one_worker_is_exactly_sgd_with_zero_staleness():
    result = result_of(2)
    assert result["diff"] < 1e-12
    assert result["staleness"]["max"] == 0
    assert result["staleness"]["updates"] == 4 * 600 // 20  # every gradient applied once
    assert len(result["losses"]) == 5  # before training and after each epoch


def test_two_workers_converge_and_report_staleness():
    result = result_of(3)
    staleness = result["staleness"]
    assert staleness["updates"] == 4 * 600 // 20 and result["samples"] == 4 * 600
    assert sum(staleness["histogram"].values()) == staleness["updates"]
    assert 0 <= staleness["mean"] <= staleness["max"]
    (first_loss, _), (last_loss, last_accuracy) = result["losses"][0], result["losses"][-1]
    # Three separated blobs: a converged softmax regression classifies them almost perfectly.
    assert last_loss < 0.2 * first_loss and last_accuracy > 0.95


def test_needs_a_server_and_a_worker():
    import minigrad.distributed as dist
    with pytest.raises(RuntimeError, match="init_process_group"):
        dist.AsyncParameterServer(None, None, None)


HAS_MNIST = os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist"))


@pytest.mark.skipif(not HAS_MNIST, reason="needs MNIST in $MINIGRAD_DATA")
def test_sync_vs_async_example_on_an_mnist_slice(tmp_path):
    example = Path(__file__).resolve().parents[1] / "examples" / "sync_vs_async.py"
    run = run_mpi(3, [example, "--quick"], timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    rows = re.findall(r"^(sync|async)\s+(\d)\s+([\d.]+)%\s+(\d+)", run.stdout, re.MULTILINE)
    assert [(mode, epoch) for mode, epoch, *_ in rows] == [
        ("sync", "1"), ("sync", "2"), ("async", "1"), ("async", "2")]
    for _, _, accuracy, speed in rows:
        assert float(accuracy) > 40 and int(speed) > 0  # both learn (chance is 10%)
    assert "staleness histogram" in run.stdout
