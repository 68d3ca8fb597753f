"""Every code block of the README runs as shown, and every ``minigrad.`` name it mentions exists.

The conventions (also stated in the README's "Tests" section):
- ```python blocks run in the order they appear, in one namespace (a later block may use what
  an earlier one defined), in a fresh temporary folder. A block whose first line is
  ``# file: NAME.py`` is also saved under that name there, for later blocks and commands.
- ```bash blocks then run one by one in the same folder, under ``bash -e``, with ``minigrad``
  meaning this checkout's ``python -m minigrad``, unless their first line is the visible
  marker ``# not run by the README test: <reason>`` (installs, long trainings).
- Other fences (text, output) are not run.
"""
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
NOT_RUN = "# not run by the README test:"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
pytestmark = pytest.mark.skipif(
    not os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist")),
    reason="the README's examples train on MNIST from $MINIGRAD_DATA")


def blocks(language):
    """(line number, code) of every block fenced as ``language``."""
    return [(README[:m.start()].count("\n") + 1, m.group(2)) for m in FENCE.finditer(README)
            if m.group(1) == language]


def environment(tmp_path):
    shim = tmp_path / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "minigrad").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m minigrad "$@"\n')
    (shim / "minigrad").chmod(0o755)
    return {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1",
            "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}", "MPLBACKEND": "Agg"}


RUNNER = textwrap.dedent('''
    import json, sys, traceback
    namespace = {"__name__": "__main__"}
    for line, code in json.load(open(sys.argv[1])):
        try:
            exec(compile(code, f"README.md, block at line {line}", "exec"), namespace)
        except BaseException:
            traceback.print_exc()
            sys.exit(f"the python block at README.md line {line} failed")
''')


def test_python_blocks_run_in_order(tmp_path):
    import json
    python = blocks("python")
    assert len(python) >= 4
    for _, code in python:
        first = code.splitlines()[0]
        if first.startswith("# file: "):
            (tmp_path / first[len("# file: "):].strip()).write_text(code)
    (tmp_path / "blocks.json").write_text(json.dumps(python))
    (tmp_path / "runner.py").write_text(RUNNER)
    result = subprocess.run([sys.executable, "runner.py", "blocks.json"], cwd=tmp_path,
                            capture_output=True, text=True, env=environment(tmp_path),
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]


def test_bash_blocks_run_unless_marked(tmp_path):
    for _, code in blocks("python"):  # the files they may use
        first = code.splitlines()[0]
        if first.startswith("# file: "):
            (tmp_path / first[len("# file: "):].strip()).write_text(code)
    ran = 0
    for line, code in blocks("bash"):
        if code.startswith(NOT_RUN):
            assert len(code.splitlines()[0]) > len(NOT_RUN) + 3, f"line {line}: give a reason"
            continue
        result = subprocess.run(["bash", "-e", "-c", code], cwd=tmp_path, capture_output=True,
                                text=True, env=environment(tmp_path), timeout=600)
        assert result.returncode == 0, (f"the bash block at README.md line {line} failed:\n"
                                        f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        ran += 1
    assert ran >= 1


# How the README's inline code abbreviates minigrad's packages.
SHORT = {"minigrad": "minigrad", "mg": "minigrad", "nn": "minigrad.nn", "optim": "minigrad.optim",
         "lr_scheduler": "minigrad.optim.lr_scheduler", "autograd": "minigrad.autograd"}


def test_every_minigrad_name_in_the_readme_exists():
    names = set(re.findall(r"(?<![\w/.])minigrad(?:\.[A-Za-z_]\w*)+", README))
    for span in re.findall(r"`([^`\n]+)`", README):  # inline code: `optim.Newton`, `mg.save`
        for short, dotted in re.findall(r"(?<![\w/.])(\w+)((?:\.[A-Za-z_]\w*)+)", span):
            if short in SHORT:
                names.add(SHORT[short] + dotted)
    names -= {n for n in names if re.search(r"\.(py|png|md|json|csv|mg)$", n)}
    assert len(names) >= 10
    code = ("import minigrad, functools\n"
            f"for name in {sorted(names)!r}:\n"
            "    functools.reduce(getattr, name.split('.')[1:], minigrad)\n")
    # A fresh process: each name must work right after `import minigrad`, nothing else.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr


def test_every_option_the_readme_shows_exists():
    from minigrad.cli import build_parser
    parser = build_parser()
    helps = {name: sub.format_help() for name, sub in
             parser._subparsers._group_actions[0].choices.items()}
    for command, rest in re.findall(r"minigrad (train|compare|evaluate|gradcheck)\b([^`\n]*)",
                                    README):
        for option in re.findall(r"--[a-z][a-z-]*", rest):
            assert option in helps[command], f"minigrad {command} has no {option}"
