"""``minigrad compare`` across depths, with per-optimizer learning rates and a schedule
(compare_options parses the options, compare_depths runs them)."""
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from minigrad.cli import compare_options as C
from minigrad.recipes import depth_study as compare_depths

HAS_MNIST = os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist"))
NAMES = ["sgd", "momentum", "adam"]


def minigrad(*args):
    return subprocess.run([sys.executable, "-m", "minigrad", *args], capture_output=True,
                          text=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})


def options(**given):
    defaults = dict(depth=None, width="128", hidden=None, lr=None, scheduler="none",
                    milestones=None, gamma=None)
    return SimpleNamespace(**{**defaults, **given})


def test_lr_spec_per_optimizer_and_for_all():
    assert C.parse_lr_spec("sgd=1.0,adam=1e-3", NAMES) == {"sgd": 1.0, "adam": 1e-3}
    assert C.parse_lr_spec("0.01", NAMES) == {"sgd": 0.01, "momentum": 0.01, "adam": 0.01}


@pytest.mark.parametrize("spec, message", [
    ("sdg=1.0", "'sdg' is not among the optimizers compared (sgd, momentum, adam)"),
    ("sgd=fast", "--lr sgd: expected a finite positive number, got 'fast'"),
    ("sgd=-1", "--lr sgd: expected a finite positive number, got '-1'"),
    ("sgd=1,sgd=2", "'sgd' is given twice"),
    ("sgd:1", "'sgd:1' is neither a number nor NAME=VALUE pairs"),
    ("sgd=1,adam", "'adam' is not NAME=VALUE"),
    ("0", "--lr: expected a finite positive number, got '0'"),
    ("adam=inf", "--lr adam: expected a finite positive number, got 'inf'"),
])
def test_bad_lr_spec_is_named(spec, message):
    with pytest.raises(ValueError) as error:
        C.parse_lr_spec(spec, NAMES)
    assert message in str(error.value)


def test_depths_and_hidden_sizes():
    assert C.architectures(options(depth="1-3", width="64")) == [(64,), (64, 64), (64, 64, 64)]
    assert C.architectures(options(depth="1,5")) == [(128,), (128,) * 5]
    assert C.architectures(options(hidden="256,32")) == [(256, 32)]
    assert C.architectures(options()) == [(256, 128)]
    for bad, message in [(options(depth="3-1"), "empty range '3-1'"),
                         (options(depth="0"), "--depth: expected a positive integer, got '0'"),
                         (options(depth="2", hidden="8"), "--hidden and --depth are alternatives")]:
        with pytest.raises(ValueError, match=message):
            C.architectures(bad)


def test_schedule_options():
    assert C.schedule_options(options(scheduler="multistep", milestones="20,30", gamma="0.5")) \
        == {"name": "multistep", "milestones": [20, 30], "gamma": 0.5}
    with pytest.raises(ValueError, match="--milestones applies to --scheduler multistep"):
        C.schedule_options(options(scheduler="cosine", milestones="2"))
    with pytest.raises(ValueError, match="--milestones must increase"):
        C.schedule_options(options(scheduler="multistep", milestones="30,20"))
    with pytest.raises(ValueError, match="--gamma applies to"):
        C.schedule_options(options(scheduler="cosine", gamma="0.5"))


def test_multistep_milestones_and_gamma_reach_the_optimizer():
    import numpy as np
    from minigrad import nn, optim
    optimizer = optim.SGD([nn.Parameter(np.zeros(1))], lr=1.0)
    scheduler, interval = compare_depths.make_scheduler(
        {"name": "multistep", "milestones": [2, 3], "gamma": 0.5}, optimizer, 5, 10)
    lrs = []
    for _ in range(5):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert interval == "epoch" and lrs == [1.0, 1.0, 0.5, 0.25, 0.25]


@pytest.mark.parametrize("args, message", [
    (["--lr", "sdg=1.0"], "--lr: 'sdg' is not among the optimizers compared"),
    (["--depth", "two"], "--depth: expected a positive integer, got 'two'"),
    (["--scheduler", "none", "--milestones", "2"], "--milestones applies to --scheduler multistep"),
    (["--model", "cnn", "--depth", "2"], "apply to the MLPs"),
])
def test_cli_errors_are_one_line_and_name_the_option(args, message):
    result = minigrad("compare", *args)
    assert result.returncode != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not HAS_MNIST, reason="needs MNIST in $MINIGRAD_DATA")
def test_compare_across_depths_writes_one_table_and_one_figure(tmp_path):
    result = minigrad("compare", "--depth", "1-2", "--width", "16", "--optimizers", "sgd,adam",
                      "--lr", "sgd=1e30,adam=2e-3", "--scheduler", "multistep", "--milestones",
                      "1", "--gamma", "0.5", "--epochs", "2", "--subset", "600", "--quiet",
                      "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    runs = json.loads((tmp_path / "comparison.json").read_text())["runs"]
    assert set(runs) == {"1/sgd", "1/adam", "2/sgd", "2/adam"}
    assert runs["2/adam"]["hidden"] == [16, 16] and runs["2/adam"]["lr"] == 2e-3
    assert [r["lr"] for r in runs["1/adam"]["history"]] == [2e-3, 1e-3]  # halved after epoch 1
    assert runs["1/sgd"]["diverged_at_epoch"] == 1  # lr 1e30: the loss becomes NaN, reported
    table = (tmp_path / "comparison.md").read_text()
    assert table.count("\n") == 2 + 4 and "| 2 (16-16) | adam | 0.002 |" in table
    assert "diverged in epoch 1" in table and table in result.stdout + "\n"
    if "and comparison.png" in result.stdout:  # matplotlib is installed
        assert (tmp_path / "comparison.png").stat().st_size > 10_000


def test_an_output_folder_that_cannot_be_made_fails_before_any_training(tmp_path):
    (tmp_path / "afile").write_text("")
    with pytest.raises(OSError):
        compare_depths.compare_depths(["sgd"], [(4,)], {"dataset": "no-such-data"},
                                      str(tmp_path / "afile" / "out"))
