"""Every code block of the README and of every page under docs/ runs as shown, and every
``minigrad.`` name and command-line option they mention exists.

The conventions (also stated in the README's "Tests" section), page by page:
- ```python blocks run in the order they appear, in one namespace (a later block may use what
  an earlier one defined), in a fresh temporary folder. A block whose first line is
  ``# file: NAME.py`` is also saved under that name there, for later blocks and commands.
- ```bash blocks then run one by one in the same folder, under ``bash -e``, with ``minigrad``
  meaning this checkout's ``python -m minigrad``, unless their first line is the visible
  marker ``# not run by the docs test: <reason>`` (installs, long trainings).
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
PAGES = ["README.md"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))
NOT_RUN = "# not run by the docs test:"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
pytestmark = pytest.mark.skipif(
    not os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist")),
    reason="the documentation's examples train on MNIST from $MINIGRAD_DATA")


def text(page):
    return (ROOT / page).read_text()


def blocks(page, language):
    """(line number, code) of every block of ``page`` fenced as ``language``."""
    content = text(page)
    return [(content[:m.start()].count("\n") + 1, m.group(2))
            for m in FENCE.finditer(content) if m.group(1) == language]


def save_files(page, folder):
    """The blocks of ``page`` that start with ``# file: NAME.py``, saved for later blocks."""
    for _, code in blocks(page, "python"):
        first = code.splitlines()[0]
        if first.startswith("# file: "):
            (folder / first[len("# file: "):].strip()).write_text(code)


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
    page = sys.argv[2]
    for line, code in json.load(open(sys.argv[1])):
        try:
            exec(compile(code, f"{page}, block at line {line}", "exec"), namespace)
        except BaseException:
            traceback.print_exc()
            sys.exit(f"the python block at {page} line {line} failed")
''')


def test_every_page_is_linked_from_the_readme():
    for page in PAGES[1:]:
        assert f"]({page})" in text("README.md"), f"the README does not link {page}"


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p, "python")])
def test_python_blocks_run_in_order(page, tmp_path):
    import json
    python = blocks(page, "python")
    save_files(page, tmp_path)
    (tmp_path / "blocks.json").write_text(json.dumps(python))
    (tmp_path / "runner.py").write_text(RUNNER)
    result = subprocess.run([sys.executable, "runner.py", "blocks.json", page], cwd=tmp_path,
                            capture_output=True, text=True, env=environment(tmp_path),
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p, "bash")])
def test_bash_blocks_run_unless_marked(page, tmp_path):
    save_files(page, tmp_path)  # the files they may use
    for line, code in blocks(page, "bash"):
        if code.startswith(NOT_RUN):
            assert len(code.splitlines()[0]) > len(NOT_RUN) + 3, f"line {line}: give a reason"
            continue
        result = subprocess.run(["bash", "-e", "-c", code], cwd=tmp_path, capture_output=True,
                                text=True, env=environment(tmp_path), timeout=600)
        assert result.returncode == 0, (f"the bash block at {page} line {line} failed:\n"
                                        f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}")


# How the pages' inline code abbreviates minigrad's packages.
SHORT = {"minigrad": "minigrad", "mg": "minigrad", "nn": "minigrad.nn", "optim": "minigrad.optim",
         "lr_scheduler": "minigrad.optim.lr_scheduler", "autograd": "minigrad.autograd"}


def test_every_minigrad_name_in_the_docs_exists():
    everything = "\n".join(text(page) for page in PAGES)
    names = set(re.findall(r"(?<![\w/.])minigrad(?:\.[A-Za-z_]\w*)+", everything))
    for span in re.findall(r"`([^`\n]+)`", everything):  # inline code: `optim.Newton`, `mg.save`
        for short, dotted in re.findall(r"(?<![\w/.])(\w+)((?:\.[A-Za-z_]\w*)+)", span):
            if short in SHORT:
                names.add(SHORT[short] + dotted)
    names -= {n for n in names if re.search(r"\.(py|png|md|json|csv|mg)$", n)}
    assert len(names) >= 10
    code = ("import minigrad, functools, importlib\n"
            f"for name in {sorted(names)!r}:\n"
            "    parts = name.split('.')\n"
            "    for end in range(len(parts), 0, -1):  # the longest importable module, then\n"
            "        try:                              # its attributes\n"
            "            module = importlib.import_module('.'.join(parts[:end]))\n"
            "            break\n"
            "        except ImportError:\n"
            "            continue\n"
            "    functools.reduce(getattr, parts[end:], module)\n")
    # A fresh process, so that nothing else was imported first.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr


def test_every_option_the_docs_show_exists():
    from minigrad.cli import build_parser
    parser = build_parser()
    helps = {name: sub.format_help() for name, sub in
             parser._subparsers._group_actions[0].choices.items()}
    everything = "\n".join(text(page) for page in PAGES)
    for command, rest in re.findall(r"minigrad (train|compare|evaluate|gradcheck)\b([^`\n]*)",
                                    everything):
        for option in re.findall(r"--[a-z][a-z-]*", rest):
            assert option in helps[command], f"minigrad {command} has no {option}"
