"""The command line, run as a user would: in subprocesses, on small subsets."""
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import minigrad as mg

DATA = os.environ.get("MINIGRAD_DATA", "")
needs_mnist = pytest.mark.skipif(not os.path.isdir(os.path.join(DATA, "mnist")),
                                 reason="trains on MNIST from $MINIGRAD_DATA")
QUICK = ["--subset", "1000", "--quiet"]


def minigrad(*args, check=True, cwd=None):
    result = subprocess.run([sys.executable, "-m", "minigrad", *args], capture_output=True,
                            text=True, cwd=cwd, env=_environment())
    if check and result.returncode != 0:
        raise AssertionError(f"minigrad {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _environment():
    # The worktree's package first, whatever the current folder.
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return {**os.environ, "OPENBLAS_NUM_THREADS": "1",
            "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One short run (2 epochs, cosine), shared by the tests that only read it."""
    if not os.path.isdir(os.path.join(DATA, "mnist")):
        pytest.skip("needs MNIST")
    out = tmp_path_factory.mktemp("run")
    result = minigrad("train", "--subset", "2000", "--epochs", "2", "--quiet", "--out", str(out))
    return out, result


def test_train_writes_history_results_curves_and_checkpoint(run):
    out, result = run
    assert "mlp + adam on mnist: test accuracy" in result.stdout
    assert "evaluated once at the end" in result.stdout
    assert "validation accuracy" in result.stdout and "5000 held-out" in result.stdout
    assert "trained on the first 2000 images" in result.stdout  # a --subset run says so
    history = json.loads((out / "history.json").read_text())
    assert [r["epoch"] for r in history] == [1, 2]
    assert all(r["val_accuracy"] is not None for r in history)
    assert not any("test" in key for key in history[0])  # per-epoch numbers are validation's
    assert (out / "history.csv").read_text().startswith("epoch,train_loss")
    results = json.loads((out / "results.json").read_text())
    assert results["test_images"] == 10000 and 0.5 < results["test_accuracy"] <= 1
    assert results["config"]["val_size"] == 5000 and "data_root" not in results["config"]
    assert f"{100 * results['test_accuracy']:.2f}%" in result.stdout
    assert (out / "checkpoint-epoch002.mg").exists()
    pytest.importorskip("matplotlib")
    assert (out / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "curves.png" in result.stdout


def test_evaluate_needs_only_the_test_files(run, tmp_path):
    out, _ = run
    (tmp_path / "mnist").mkdir()
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        os.symlink(os.path.join(DATA, "mnist", name), tmp_path / "mnist" / name)
    result = minigrad("evaluate", "--checkpoint", str(out / "checkpoint-epoch002.mg"),
                      "--data-root", str(tmp_path))
    assert "test set (10000 images): accuracy" in result.stdout
    results = json.loads((out / "results.json").read_text())
    assert f"accuracy {100 * results['test_accuracy']:.2f}%" in result.stdout


def test_resume_refuses_options_that_differ_from_the_run(run):
    out, _ = run
    result = minigrad("train", "--resume", str(out / "checkpoint-epoch001.mg"), "--optimizer",
                      "sgd", "--model", "mlp", "--lr", "0.5", "--batch-size", "128", check=False)
    assert result.returncode == 2 and "usage: minigrad train" in result.stderr
    assert "--optimizer sgd (the run's: adam)" in result.stderr
    assert "--lr 0.5 (the run's: 0.001)" in result.stderr
    assert "--model" not in result.stderr.split("error:")[1]  # the same value is no conflict
    assert "Traceback" not in result.stderr


def test_a_new_run_refuses_a_folder_holding_another_runs_checkpoints(run):
    out, _ = run
    result = minigrad("train", "--subset", "500", "--epochs", "1", "--out", str(out),
                      check=False)
    assert result.returncode == 1
    assert f"already holds checkpoints of another run; continue it with --resume {out}" in \
        result.stderr


def test_resume_refuses_to_stretch_a_schedule_sized_to_the_run(run):
    out, _ = run
    result = minigrad("train", "--resume", str(out / "checkpoint-epoch001.mg"), "--epochs", "7",
                      check=False)
    assert result.returncode == 2
    assert "cosine schedule was sized for 2 epochs" in result.stderr


@needs_mnist
def test_a_run_with_a_length_free_schedule_is_extended_and_says_where_it_resumed(tmp_path):
    minigrad("train", *QUICK, "--epochs", "1", "--scheduler", "exponential", "--out",
             str(tmp_path))
    result = minigrad("train", "--resume", str(tmp_path / "checkpoint-epoch001.mg"),
                      "--epochs", "2")
    assert "resumed from epoch 1 of 2" in result.stdout
    assert "checkpoint-epoch002.mg" in result.stdout  # the same folder by default
    state = mg.load(tmp_path / "checkpoint-epoch002.mg")
    assert state["metadata"]["config"]["epochs"] == 2
    assert [r["epoch"] for r in state["history"]] == [1, 2]
    # lr 1e-3, then 0.8 of it: the exponential schedule simply goes on.
    np.testing.assert_allclose([r["lr"] for r in state["history"]], [1e-3, 8e-4])
    finished = minigrad("train", "--resume", str(tmp_path / "checkpoint-epoch002.mg"))
    assert "nothing left to train" in finished.stdout and "(none)" not in finished.stdout


@needs_mnist
def test_interrupted_run_resumed_in_a_new_process_is_bit_identical(tmp_path):
    common = ["--subset", "1500", "--model", "mlp-bn", "--optimizer", "nesterov", "--scheduler",
              "onecycle", "--val-size", "1000", "--quiet"]
    minigrad("train", *common, "--epochs", "3", "--out", str(tmp_path / "full"))
    # A new process picks the run up from its first checkpoint, as after a crash.
    minigrad("train", "--resume", str(tmp_path / "full" / "checkpoint-epoch001.mg"), "--quiet",
             "--out", str(tmp_path / "resumed"))
    full = mg.load(tmp_path / "full" / "checkpoint-epoch003.mg")
    resumed = mg.load(tmp_path / "resumed" / "checkpoint-epoch003.mg")
    for key, value in full["model"].items():
        np.testing.assert_array_equal(resumed["model"][key].array, value.array, err_msg=key)
    assert [r["epoch"] for r in resumed["history"]] == [1, 2, 3]


@needs_mnist
def test_ctrl_c_writes_the_history_and_says_how_to_resume(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "minigrad", "train", "--subset", "5000",
                                "--epochs", "100", "--scheduler", "none", "--val-size", "1000",
                                "--quiet", "--out", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=_environment())
    deadline = time.monotonic() + 120
    while not (tmp_path / "checkpoint-epoch001.mg").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted during epoch" in stderr and "Traceback" not in stderr
    newest = sorted(tmp_path.glob("checkpoint-epoch*.mg"))[-1]
    assert f"minigrad train --resume {newest}" in stderr
    history = json.loads((tmp_path / "history.json").read_text())
    assert history[-1]["epoch"] == int(newest.stem[-3:])


@needs_mnist
def test_epoch_lines_are_not_glued_to_the_progress_bar_on_a_terminal(tmp_path):
    import pty
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "minigrad", "train", *QUICK[:2],
                                "--epochs", "2", "--val-size", "1000", "--out", str(tmp_path)],
                               stdin=follower, stdout=follower, stderr=follower, env=_environment())
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(leader)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
    assert "epoch 1: train loss" in text and "epoch 2: train loss" in text
    for line in ("epoch 1: train loss", "epoch 2: train loss", "mlp + adam on mnist"):
        before = text[text.index(line) - 1]
        assert before in "\r\n", f"{line!r} is glued to {text[text.index(line) - 40:][:80]!r}"


@needs_mnist
def test_a_run_that_learned_nothing_says_so(tmp_path):
    result = minigrad("train", *QUICK, "--epochs", "3", "--scheduler", "none", "--lr", "1e3",
                      "--out", str(tmp_path))
    assert "learned nothing" in result.stderr and "smaller learning rate" in result.stderr


@needs_mnist
def test_divergence_is_one_clean_message_without_numpy_warnings(tmp_path):
    result = minigrad("train", *QUICK, "--optimizer", "sgd", "--lr", "1e4", "--epochs", "1",
                      "--out", str(tmp_path), check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("minigrad train: error: the loss became nan at epoch 1")
    assert len(result.stderr.strip().splitlines()) == 1  # no RuntimeWarning before it


@needs_mnist
def test_compare_trains_each_optimizer_and_tests_once(tmp_path):
    result = minigrad("compare", "--optimizers", "sgd,adam", "--epochs", "1", *QUICK,
                      "--val-size", "1000", "--out", str(tmp_path))
    assert "| sgd |" in result.stdout and "| adam |" in result.stdout
    assert "val accuracy | test loss | test accuracy" in result.stdout
    results = json.loads((tmp_path / "comparison.json").read_text())
    assert set(results) == {"sgd", "adam"} and "test_accuracy" in results["adam"]


def test_gradcheck_command_passes_every_layer_with_the_same_numbers_every_run():
    first, second = minigrad("gradcheck"), minigrad("gradcheck")
    assert "Conv2d" in first.stdout and "CrossEntropyLoss" in first.stdout
    assert "LSTM" in first.stdout and "MultiheadAttention" in first.stdout
    from minigrad.recipes.gradient_checks import cases
    assert f"{len(cases())} passed, 0 failed" in first.stdout
    assert first.stdout == second.stdout


@pytest.mark.parametrize("args,message", [
    (["train", "--optimizer", "lion"], "invalid choice: 'lion'"),
    (["train", "--epochs", "0"], "must be a positive integer"),
    (["train", "--lr", "-1"], "must be a finite positive number"),
    (["train", "--lr", "inf"], "must be a finite positive number, got inf"),
    (["train", "--lr", "nan"], "must be a finite positive number, got nan"),
    (["train", "--seed", "-5"], "argument --seed: must be a non-negative integer, got -5"),
    (["train", "--val-size", "-1"], "argument --val-size: must be a non-negative integer"),
    (["compare", "--optimizers", "sgd,nope"], "unknown optimizer"),
    (["evaluate"], "the following arguments are required: --checkpoint"),
    (["gradcheck", "--shape", "3,4"], "--shape needs a FILE.py:NAME"),
    (["frobnicate"], "invalid choice"),
    (["evaluate", "--dataset", "nonsense", "--checkpoint", "x.mg"],
     "unrecognized arguments: --dataset nonsense"),
    (["train", "--subset", "10", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["compare", "extra"], "unrecognized arguments: extra"),
    (["gradcheck", "--layers"], "unrecognized arguments: --layers"),
])
def test_bad_arguments_get_the_subcommands_usage_not_tracebacks(args, message):
    result = minigrad(*args, check=False)
    assert result.returncode == 2 and message in result.stderr
    if args[0] != "frobnicate":  # every subcommand's error starts with its own name
        assert result.stderr.startswith(f"minigrad {args[0]}: error: "), result.stderr
        assert f"usage: minigrad {args[0]}" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_shows_defaults_and_choices_and_version():
    top = minigrad("--help").stdout
    assert "`" not in top and "minigrad train" in top
    train = minigrad("train", "--help").stdout
    for text in ("(default: adam)", "(default: cosine)", "(default: 10)", "(default: 5000)",
                 "{sgd,momentum,", "--val-size", "--resume"):
        assert text in train, text
    compare = minigrad("compare", "--help").stdout
    assert "resum" not in compare and "(default: 5)" in compare
    assert minigrad("--version").stdout.strip() == f"minigrad {mg.__version__}"


@pytest.mark.parametrize("command", [["evaluate", "--checkpoint"], ["train", "--resume"]])
def test_a_missing_file_or_a_folder_given_as_a_checkpoint_is_one_line_naming_it(command,
                                                                                  tmp_path):
    for path in (tmp_path / "nope.mg", tmp_path):
        result = minigrad(*command, str(path), check=False)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert str(path) in result.stderr
    assert "No such file" in minigrad(*command, str(tmp_path / "nope.mg"), check=False).stderr


def test_an_out_folder_that_is_a_file_is_one_line_naming_it(tmp_path):
    (tmp_path / "taken").write_text("")
    result = minigrad("compare", "--optimizers", "sgd", "--out", str(tmp_path / "taken" / "x"),
                      "--epochs", "1", *QUICK, check=False)
    assert result.returncode == 1 and str(tmp_path / "taken") in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@needs_mnist
def test_the_same_command_twice_starts_a_second_run_in_a_fresh_folder(tmp_path):
    # No --out: the default folder is taken by the first run, so the second gets its own.
    args = ("train", "--subset", "300", "--epochs", "1", "--val-size", "100", "--quiet")
    first = minigrad(*args, cwd=tmp_path)
    second = minigrad(*args, cwd=tmp_path)
    assert "wrote runs/mlp-adam/" in first.stdout and "wrote runs/mlp-adam-2/" in second.stdout
    assert os.listdir(tmp_path / "runs" / "mlp-adam") != []  # the first run is untouched


def test_paths_that_are_not_what_they_should_be_are_one_line_errors(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    cases = [(("train", "--resume", str(tmp_path)), f"{tmp_path}: Is a directory"),
             (("evaluate", "--checkpoint", str(tmp_path / "missing.mg")),
              f"{tmp_path / 'missing.mg'}: No such file or directory"),
             (("train", "--out", str(a_file), "--subset", "10"),
              f"--out {a_file} is a file; give a folder"),
             (("run", str(tmp_path)), f"{tmp_path} is a directory; give the Python script")]
    for args, message in cases:
        result = minigrad(*args, check=False)
        assert result.returncode == 1, args
        assert result.stderr.startswith(f"minigrad {args[0]}: error: {message}"), result.stderr
        assert result.stderr.count("\n") == 1 and "Errno" not in result.stderr, result.stderr


def test_a_usage_error_is_the_error_and_a_pointer_to_help():
    result = minigrad("train", "--lr", "abc", check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "minigrad train: error: argument --lr: must be a finite positive number, got 'abc'",
        "usage: minigrad train [options]; 'minigrad train --help' lists them"]


def test_what_mpiexec_cannot_do_is_refused_before_training(tmp_path):
    # The launcher's environment says "two processes"; each refusal comes before any MPI call.
    env = {**_environment(), "OMPI_COMM_WORLD_SIZE": "2"}
    cases = [(("train", "--dataset", "moons"), "trains in a second on one process"),
             (("train", "--compile", "--subset", "10"), "--compile does not record"),
             (("compare", "--epochs", "1"), "compare runs its optimizers one after another")]
    for args, message in cases:
        result = subprocess.run([sys.executable, "-m", "minigrad", *args], capture_output=True,
                                text=True, cwd=tmp_path, env=env)
        assert result.returncode == 1 and message in result.stderr, result.stderr


def test_toy_options_on_mnist_are_refused_not_ignored():
    result = minigrad("train", "--hidden", "64", "--animate", "--subset", "10", check=False)
    assert result.returncode == 1
    assert "--hidden, --animate apply to the toy data sets" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_language_model_trains_resumes_and_samples(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("\n".join(["anna", "bella", "clara", "dora", "emma", "fiona", "gina",
                                "hanna", "ida", "julia"] * 4) + "\n")
    out = tmp_path / "run"
    first = minigrad("train", "--dataset", str(names), "--model", "gru", "--epochs", "1",
                     "--batch-size", "16", "--scheduler", "none", "--out", str(out)).stdout
    assert "gru + adamw on" in first and "nats per character" in first
    assert "  samples: " in first and "checkpoint-epoch001.mg" in first
    resumed = minigrad("train", "--resume", str(out / "checkpoint-epoch001.mg"), "--epochs", "2",
                       "--quiet").stdout
    assert "2 epochs" in resumed
    samples = minigrad("sample", "--checkpoint", str(out / "checkpoint-epoch002.mg"), "-n", "4",
                       "--top-k", "3", "--temperature", "0.8", "--seed", "1").stdout.split("\n")
    assert len(samples) == 5 and samples[-1] == ""  # four names, one a line
    assert all(set(s) <= set("abcdefghijlnoru") for s in samples)
    again = minigrad("sample", "--checkpoint", str(out / "checkpoint-epoch002.mg"), "-n", "4",
                     "--top-k", "3", "--temperature", "0.8", "--seed", "1").stdout
    assert again.split("\n") == samples


@pytest.mark.parametrize("args, message", [
    (["--dataset", "names", "--model", "cnn"], "--model cnn is an MNIST network"),
    (["--dataset", "mnist", "--model", "gru"], "--model gru is a language model"),
    (["--dataset", "names", "--subset", "100"], "--subset is for MNIST runs"),
    (["--dataset", "shakespeare", "--model", "mlp"], "--model mlp reads a fixed context"),
    (["--dataset", "nonsense"], "invalid choice: 'nonsense'"),
    (["--dataset", "absent.txt"], "absent.txt'?: no such file")],
    ids=["cnn-on-names", "gru-on-mnist", "subset", "mlp-on-text", "dataset", "file"])
def test_language_model_usage_errors(tmp_path, args, message):
    result = minigrad("train", *args, "--out", str(tmp_path / "x"), check=False, cwd=tmp_path)
    assert result.returncode in (1, 2)
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr  # the error, a pointer
    assert re.search(message, result.stderr), result.stderr


def test_sample_refuses_a_checkpoint_of_another_kind(tmp_path):
    mg.save({"weights": mg.zeros(2)}, tmp_path / "plain.mg")
    result = minigrad("sample", "--checkpoint", str(tmp_path / "plain.mg"), check=False)
    assert result.returncode == 1
    assert "is not a language-model checkpoint" in result.stderr


@needs_mnist
def test_a_subset_larger_than_the_training_split_is_refused_naming_its_size(tmp_path):
    result = minigrad("train", "--subset", "100000", "--quiet", "--out", str(tmp_path / "run"),
                      check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("minigrad train: error: --subset 100000: the training split "
                                    "has only 55,000 images")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "run" / "results.json").exists()


@needs_mnist
def test_train_takes_milestones_and_gamma_and_help_says_what_step_does(tmp_path):
    result = minigrad("train", "--scheduler", "multistep", "--milestones", "1", "--gamma", "0.5",
                      "--epochs", "2", "--subset", "300", "--val-size", "100", "--quiet",
                      "--out", str(tmp_path))
    history = json.loads((tmp_path / "history.json").read_text())
    assert [record["lr"] for record in history] == pytest.approx([1e-3, 5e-4])
    config = json.loads((tmp_path / "results.json").read_text())["config"]
    assert config["milestones"] == [1] and config["gamma"] == 0.5
    refused = minigrad("train", "--gamma", "0.5", "--subset", "10", check=False)
    assert refused.returncode == 1 and refused.stderr.startswith(
        "minigrad train: error: --gamma applies to --scheduler step, multistep, exponential, "
        "not cosine")
    text = " ".join(minigrad("train", "--help").stdout.split())
    assert "step: x gamma (0.1: a tenfold cut) every max(1, epochs // 3) epochs" in text
    assert "--milestones" in text and "--gamma" in text


def test_train_logs_each_epoch_to_tensorboard(tmp_path):
    if importlib.util.find_spec("tensorboardX") is None:  # looked up: importing loads torch
        pytest.skip("the tensorboard extra (tensorboardX) is not installed")
    from test_utils_tensorboard import scalars
    minigrad("train", "--dataset", "moons", "--epochs", "3", "--tensorboard", "tb", "--out",
             "run", cwd=tmp_path)
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    history = history if isinstance(history, list) else history["history"]
    for tag, key in [("Loss/train", "train_loss"), ("Accuracy/val", "val_accuracy"),
                     ("lr", "lr")]:
        assert scalars(tmp_path / "tb", tag) == [
            (r["epoch"], pytest.approx(r[key], rel=1e-6)) for r in history]


def test_tensorboard_without_its_extra_is_a_one_line_refusal(monkeypatch, capsys):
    from minigrad import cli
    from minigrad.utils import tensorboard
    monkeypatch.setattr(tensorboard, "is_available", lambda: False)
    with pytest.raises(SystemExit) as stop:
        cli.main(["train", "--dataset", "moons", "--tensorboard", "tb"])
    assert stop.value.code == 2
    error = capsys.readouterr().err.splitlines()[0]
    assert error == ("minigrad train: error: --tensorboard needs the tensorboardX package, an "
                     "optional extra: pip install minigrad[tensorboard]")
