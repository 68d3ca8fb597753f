"""``minigrad exercises``: list, start, check (exit status 0/1), hint, solution, as a student
types them, in a fresh folder."""
import os
import subprocess
import sys

import pytest

from minigrad.recipes import exercises

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def command(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "minigrad", "exercises", *args],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": ROOT, "OPENBLAS_NUM_THREADS": "1"})


def test_start_check_fail_fix_pass_and_list(tmp_path):
    listed = command(tmp_path, "list").stdout.splitlines()
    assert len(listed) == len(exercises.EXERCISES) >= 20
    assert listed[0].split()[:3] == ["1", "add", "not"]
    started = command(tmp_path, "start", "sigmoid")
    assert started.returncode == 0
    assert started.stdout.startswith("wrote minigrad-exercises/sigmoid.py")
    path = tmp_path / "minigrad-exercises" / "sigmoid.py"
    path.write_text(path.read_text().replace(
        'raise NotImplementedError("sigmoid: write backward (the docstring has the math)")',
        "return grad_output * out * (out - 1)"))
    failed = command(tmp_path, "check", "sigmoid")
    assert failed.returncode == 1
    assert "FAIL" in failed.stdout and "the gradient of x is wrong: wrong sign" in failed.stdout
    assert "sigmoid          failing" in command(tmp_path, "list").stdout
    path.write_text(path.read_text().replace("(out - 1)", "(1 - out)"))
    passed = command(tmp_path, "check", str(path))
    assert passed.returncode == 0, passed.stdout
    assert "sigmoid          passing" in command(tmp_path, "list").stdout


def test_start_refuses_to_overwrite_in_one_line(tmp_path):
    command(tmp_path, "start", "tanh", "--dir", "work")
    again = command(tmp_path, "start", "tanh", "--dir", "work")
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.startswith("minigrad exercises: error: work/tanh.py already exists")
    assert len(again.stderr.strip().splitlines()) == 1


def test_hint_and_solution(tmp_path):
    first = command(tmp_path, "hint", "matmul").stdout
    second = command(tmp_path, "hint", "matmul").stdout
    assert first.startswith("hint 1 of") and second.startswith("hint 2 of")
    solution = command(tmp_path, "solution", "matmul").stdout
    assert "return grad_output @ b.T, a.T @ grad_output" in solution
    assert "# In minigrad itself: minigrad/ops/linalg.py: MatMul" in solution


@pytest.mark.parametrize("args,message", [
    (["start", "nonsense"], "no exercise named 'nonsense'; the exercises are: add, mul"),
    (["check", "relu"], "minigrad-exercises/relu.py: no such file (start it with"),
    (["check", "nowhere.py"], "nowhere.py: no such file"),
])
def test_mistakes_are_one_line_errors(tmp_path, args, message):
    result = command(tmp_path, *args)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"minigrad exercises: error: {message}"), result.stderr


def test_help_lists_the_actions():
    result = command(ROOT, "--help")
    for action in ("list", "start", "check", "hint", "solution"):
        assert f"    {action}" in result.stdout
