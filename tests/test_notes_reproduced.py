"""examples/notes_reproduced.py in its quick mode: it runs, and the numbers it prints agree
with the formulas they are set beside."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "notes_reproduced.py"
HAS_MNIST = os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist"))
SMALL_PROBLEMS = "momentum,nesterov,adagrad,adam,decays"


def run(*args, cwd):
    result = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                            cwd=cwd, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_small_problem_claims_match_their_formulas(tmp_path):
    out = run("--quick", "--only", SMALL_PROBLEMS, "--out", str(tmp_path), cwd=tmp_path)
    numbers = json.loads((tmp_path / "numbers.json").read_text())
    momentum = numbers["momentum"]
    assert momentum["speedup_after_100"] == pytest.approx((1 - 0.9 ** 100) / 0.1, rel=1e-9)
    assert momentum["noise_gain"] == pytest.approx(math.sqrt(1.9 / 0.1), rel=0.05)
    assert momentum["sgd_reversals"] == 1.0
    assert momentum["momentum_reversals"] == pytest.approx(
        momentum["predicted_momentum_reversals"], abs=0.02)
    assert numbers["nesterov"]["max_gap_after_shift"] < 1e-10 < numbers["nesterov"]["max_shift"]
    assert numbers["adagrad"]["escape_step"]["AdaGrad"] is None  # stalls at the tilted saddle
    assert numbers["adagrad"]["escape_step"]["RMSProp"] < 1000
    adam = numbers["adam"]
    assert adam["first_step_corrected"] == pytest.approx(1.0, rel=1e-5)
    assert adam["first_step_uncorrected"] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-4)
    decays = numbers["decays"]  # at epochs 0, 10, 20, 49
    assert decays["exponential"][1] == pytest.approx(0.1 * math.exp(-1.0), rel=1e-12)
    assert decays["time-based"][1] == pytest.approx(0.1 / 2, rel=1e-12)
    assert decays["step"] == pytest.approx([0.1, 0.05, 0.025, 0.1 * 0.5 ** 4], rel=1e-12)
    if "(install matplotlib" not in out:
        for figure in ("momentum", "nesterov", "adagrad_rmsprop", "adam_first_steps", "decays"):
            assert (tmp_path / f"{figure}.png").stat().st_size > 10_000


@pytest.mark.skipif(not HAS_MNIST, reason="needs MNIST in $MINIGRAD_DATA")
def test_mnist_claims_quick(tmp_path):
    """The MNIST sections at the --quick sizes (the documented quick mode is these plus the
    small problems above)."""
    out = run("--quick", "--only", "depths,schedule,lbfgs,batchnorm,scaling", "--out",
              str(tmp_path), cwd=tmp_path)
    numbers = json.loads((tmp_path / "numbers.json").read_text())
    assert set(numbers["depths"]) == {f"{d}/{name}" for d in (1, 2, 5) for name in
                                      ("sgd", "momentum", "nesterov", "rmsprop", "adam")}
    assert "cut after epoch 6" in out and "| 1 (32) | momentum | 0.1 |" in out
    assert numbers["batchnorm"]["batch_dependence_eval"] == 0.0
    assert numbers["batchnorm"]["batch_dependence_train"] > 1e-3
    lbfgs = numbers["lbfgs"]
    assert lbfgs["L-BFGS, full batch"]["train_loss"] < lbfgs["L-BFGS, mini-batches"]["train_loss"]
    scaling = numbers["scaling"]
    assert scaling["z-score"]["losses"][-1] < scaling["raw 0..255"]["losses"][-1]
