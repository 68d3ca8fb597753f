"""The command line, run as a user would: in subprocesses, on small subsets."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import minigrad as mg

pytestmark = pytest.mark.skipif(
    not os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist")),
    reason="the CLI tests train on MNIST from $MINIGRAD_DATA")


def minigrad(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "minigrad", *args], capture_output=True,
                            text=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    if check and result.returncode != 0:
        raise AssertionError(f"minigrad {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def test_train_writes_history_and_checkpoint(tmp_path):
    out = tmp_path / "run"
    result = minigrad("train", "--subset", "2000", "--epochs", "2", "--quiet", "--out", str(out))
    assert "mlp + adam on mnist: test accuracy" in result.stdout
    history = json.loads((out / "history.json").read_text())
    assert [r["epoch"] for r in history] == [1, 2]
    assert (out / "history.csv").read_text().startswith("epoch,train_loss")
    assert (out / "checkpoint-epoch002.mg").exists()
    evaluated = minigrad("evaluate", "--checkpoint", str(out / "checkpoint-epoch002.mg"))
    assert "test set: accuracy" in evaluated.stdout


def test_interrupted_run_resumed_in_a_new_process_is_bit_identical(tmp_path):
    common = ["--subset", "1500", "--model", "mlp-bn", "--optimizer", "nesterov", "--scheduler",
              "onecycle", "--quiet"]
    minigrad("train", *common, "--epochs", "3", "--out", str(tmp_path / "full"))
    # A new process picks the run up from its first checkpoint, as after a crash.
    minigrad("train", "--resume", str(tmp_path / "full" / "checkpoint-epoch001.mg"), "--quiet",
             "--out", str(tmp_path / "resumed"))
    full = mg.load(tmp_path / "full" / "checkpoint-epoch003.mg")
    resumed = mg.load(tmp_path / "resumed" / "checkpoint-epoch003.mg")
    for key, value in full["model"].items():
        np.testing.assert_array_equal(resumed["model"][key].data, value.data, err_msg=key)
    assert [r["epoch"] for r in resumed["history"]] == [1, 2, 3]


def test_compare_trains_each_optimizer(tmp_path):
    result = minigrad("compare", "--optimizers", "sgd,adam", "--epochs", "1", "--subset", "1000",
                      "--quiet", "--out", str(tmp_path))
    assert "| sgd |" in result.stdout and "| adam |" in result.stdout
    results = json.loads((tmp_path / "comparison.json").read_text())
    assert set(results) == {"sgd", "adam"}


def test_gradcheck_command_passes_every_layer():
    result = minigrad("gradcheck")
    assert "Conv2d" in result.stdout and "CrossEntropyLoss" in result.stdout
    assert "0 failed" in result.stdout


@pytest.mark.parametrize("args,message", [
    (["train", "--optimizer", "lion"], "invalid choice: 'lion'"),
    (["train", "--epochs", "0"], "must be a positive integer"),
    (["train", "--lr", "-1"], "must be a positive number"),
    (["compare", "--optimizers", "sgd,nope"], "unknown optimizer"),
    (["evaluate"], "the following arguments are required: --checkpoint"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_arguments_get_argparse_errors_not_tracebacks(args, message):
    result = minigrad(*args, check=False)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_checkpoint_is_a_clean_error(tmp_path):
    result = minigrad("evaluate", "--checkpoint", str(tmp_path / "nope.mg"), check=False)
    assert result.returncode == 1 and "No such file" in result.stderr
    assert "Traceback" not in result.stderr
