"""``minigrad train`` under mpiexec -n 2: one writer, the world in the summary, exact resume,
and a failing rank ends the whole run within a bounded time without a torn checkpoint."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import minigrad as mg
from minigrad.recipes.trainer import checkpoints_in
from mpi_launch import ROOT, run_mpi, script

TRAIN = ["train", "--epochs", "2", "--subset", "1200", "--batch-size", "50", "--quiet"]


def train(out, mode="none", timeout=60, extra=(), fail_at=0, limit=120):
    return run_mpi(2, [script("train_cli.py"), mode, timeout, "--", *TRAIN, "--out", out, *extra],
                   timeout=limit, env={"FAIL_AT": str(fail_at)})


def single_process(*args):
    return subprocess.run([sys.executable, "-m", "minigrad", *map(str, args)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"})


def model_state(path):
    return {name: value.array for name, value in mg.load(path)["model"].items()}


def test_two_ranks_train_write_once_and_resume_exactly(tmp_path):
    first = train(tmp_path / "a")
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("test accuracy") == 1  # rank 0 alone prints
    assert "2 processes x batch 50 = global batch 100" in first.stdout
    history = json.loads((tmp_path / "a" / "history.json").read_text())
    assert [record["epoch"] for record in history] == [1, 2]
    assert history[1]["train_loss"] < history[0]["train_loss"]
    final = model_state(checkpoints_in(tmp_path / "a")[-1])
    assert not any(name.startswith("module.") for name in final)  # loads without DDP

    # Resuming the two-process run on one process would halve its global batch: refused by
    # name, before anything is written.
    before = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "a").iterdir()}
    alone = single_process("train", "--resume", checkpoints_in(tmp_path / "a")[0], "--quiet")
    assert alone.returncode == 2
    assert alone.stderr.startswith(f"minigrad train: error: {checkpoints_in(tmp_path / 'a')[0]} "
                                   "belongs to a run on 2 processes (global batch 100 = 2 x 50)")
    assert "resume it with mpiexec -n 2" in alone.stderr
    assert {path.name: path.stat().st_mtime_ns for path in (tmp_path / "a").iterdir()} == before

    resumed = train(tmp_path / "b", extra=["--resume", checkpoints_in(tmp_path / "a")[0]])
    assert resumed.returncode == 0, resumed.stderr
    again = model_state(checkpoints_in(tmp_path / "b")[-1])
    for name, value in final.items():
        np.testing.assert_array_equal(again[name], value, err_msg=name)


def test_a_one_process_run_is_not_resumed_on_two(tmp_path):
    first = single_process(*TRAIN, "--out", tmp_path)
    assert first.returncode == 0, first.stderr
    before = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    checkpoint = checkpoints_in(tmp_path)[0]
    resumed = run_mpi(2, ["-m", "minigrad", "train", "--resume", checkpoint, "--quiet"],
                      timeout=120)
    assert resumed.returncode != 0
    assert f"minigrad train: error: {checkpoint} belongs to a run on one process (global " \
           "batch 50 = 1 x 50); resuming it on 2 processes would train at global batch 100" \
        in resumed.stderr
    assert resumed.stderr.count("belongs to a run") == 1  # rank 0 alone says it
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == before


# 1200 images / 2 ranks / batch 50 = 12 steps per epoch: step 15 is in the second epoch,
# after rank 0 has written the first checkpoint.
@pytest.mark.parametrize("mode,message", [("kill", "signal 9"), ("raise", "bad value"),
                                          ("crash", "ZeroDivisionError"),
                                          ("hang", "did not complete within 10 s")])
def test_a_failing_rank_stops_every_rank_without_a_torn_checkpoint(tmp_path, mode, message):
    # The collectives' timeout: short for the hanging rank, generous otherwise so that a slow
    # start on a loaded machine is not mistaken for a failure.
    result = train(tmp_path, mode=mode, timeout=10 if mode == "hang" else 60, fail_at=15,
                   limit=90)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    written = checkpoints_in(tmp_path)
    assert written and "checkpoint-epoch002.mg" not in written[-1]
    for path in written:
        mg.load(path)  # complete and verified (the digest would catch a torn file)
