"""docs/exercises.md runs as shown: its ```python blocks in order in one namespace, then its
```bash blocks one by one (unless marked ``# not run by the docs test: <reason>``), in a
fresh folder with ``minigrad`` meaning this checkout's ``python -m minigrad``."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "exercises.md").read_text()
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
NOT_RUN = "# not run by the docs test:"


def blocks(language):
    return [m.group(2) for m in FENCE.finditer(PAGE) if m.group(1) == language]


def environment(tmp_path):
    shim = tmp_path / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "minigrad").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m minigrad "$@"\n')
    (shim / "minigrad").chmod(0o755)
    return {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1",
            "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}


def test_python_blocks_run_in_order(tmp_path):
    runner = ("import json, sys\nnamespace = {'__name__': '__main__'}\n"
              "for code in json.load(open(sys.argv[1])):\n"
              "    exec(compile(code, 'docs/exercises.md', 'exec'), namespace)\n")
    (tmp_path / "blocks.json").write_text(json.dumps(blocks("python")))
    (tmp_path / "runner.py").write_text(runner)
    result = subprocess.run([sys.executable, "runner.py", "blocks.json"], cwd=tmp_path,
                            capture_output=True, text=True, env=environment(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "with respect to parameter weight" in result.stdout


def test_bash_blocks_run_and_reach_a_diagnosed_mistake(tmp_path):
    outputs = []
    for code in blocks("bash"):
        if code.startswith(NOT_RUN):
            continue
        result = subprocess.run(["bash", "-e", "-c", code], cwd=tmp_path, capture_output=True,
                                text=True, env=environment(tmp_path))
        assert result.returncode == 0, code + result.stdout + result.stderr
        outputs.append(result.stdout)
    assert "wrong sign" in outputs[1] and "exit status 1" in outputs[1]
    assert "sigmoid          passing" in outputs[2]
