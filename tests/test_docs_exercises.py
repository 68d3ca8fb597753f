"""docs/exercises.md does what it promises: tests/test_docs.py runs its blocks like every
page's; here their output is checked too, so that the page really reaches a diagnosed mistake
and then a passing exercise."""
import json
import subprocess
import sys

from test_docs import NOT_RUN, RUNNER, blocks, environment

PAGE = "docs/exercises.md"


def test_python_blocks_check_a_parameter(tmp_path):
    (tmp_path / "blocks.json").write_text(json.dumps(blocks(PAGE, "python")))
    (tmp_path / "runner.py").write_text(RUNNER)
    result = subprocess.run([sys.executable, "runner.py", "blocks.json", PAGE], cwd=tmp_path,
                            capture_output=True, text=True, env=environment(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "with respect to parameter weight" in result.stdout


def test_bash_blocks_reach_a_diagnosed_mistake_then_a_pass(tmp_path):
    outputs = []
    for _, code in blocks(PAGE, "bash"):
        if code.startswith(NOT_RUN):
            continue
        result = subprocess.run(["bash", "-e", "-c", code], cwd=tmp_path, capture_output=True,
                                text=True, env=environment(tmp_path))
        assert result.returncode == 0, code + result.stdout + result.stderr
        outputs.append(result.stdout)
    assert "wrong sign" in outputs[1] and "exit status 1" in outputs[1]
    assert "sigmoid          passing" in outputs[2]
