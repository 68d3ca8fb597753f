"""Every example runs (in its quick mode where it trains) and prints what it promises."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HAS_MNIST = os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist"))


def run(script, *args, cwd):
    result = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True,
                            text=True, cwd=cwd, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_gradient_check(tmp_path):
    out = run("gradient_check.py", cwd=tmp_path)
    assert "Swish passes gradcheck: True" in out and "Swish passes gradgradcheck: True" in out
    assert "BuggySwish fails" in out and "relative error" in out and "FAIL" not in out


def test_lr_schedules(tmp_path):
    out = run("lr_schedules.py", "--out", str(tmp_path / "s.png"), cwd=tmp_path)
    if "wrote" in out:  # matplotlib is installed: the figure must exist
        assert (tmp_path / "s.png").stat().st_size > 10_000
    else:  # otherwise every schedule is printed with its values
        for name in ("StepLR", "CosineAnnealingLR", "OneCycleLR three-phase", "warmup 10 -> cosine"):
            assert name in out
        assert "0.1000" in out


def test_optimizer_paths(tmp_path):
    out = run("optimizer_paths.py", "--out", str(tmp_path / "p.png"), cwd=tmp_path)
    assert "Rosenbrock" in out and "Adam" in out


@pytest.mark.skipif(not HAS_MNIST, reason="needs MNIST in $MINIGRAD_DATA")
@pytest.mark.parametrize("script", ["train_mnist.py", "compare_optimizers.py", "second_order.py"])
def test_training_examples_quick(script, tmp_path):
    out = run(script, "--quick", cwd=tmp_path)
    assert {"train_mnist.py": "saved mnist_mlp.mg", "compare_optimizers.py": "| adam |",
            "second_order.py": "Newton"}[script] in out


@pytest.mark.skipif(not HAS_MNIST, reason="needs MNIST in $MINIGRAD_DATA")
def test_train_mnist_prints_the_lr_it_used_and_saves_a_checkpoint_minigrad_evaluates(tmp_path):
    out = run("train_mnist.py", "--quick", cwd=tmp_path)
    assert "lr 1.00e-03" in out  # the epoch's rate, not the one after scheduler.step()
    assert "lr 0.00e+00" not in out and "test accuracy" in out
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-m", "minigrad", "evaluate", "--checkpoint",
                             str(tmp_path / "mnist_mlp.mg")], capture_output=True, text=True,
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(root)})
    assert result.returncode == 0, result.stderr
    assert "mlp on the mnist test set (10000 images): accuracy" in result.stdout
