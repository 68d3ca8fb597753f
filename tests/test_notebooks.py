"""The tutorials in docs/tutorials/ run top to bottom in a fresh, real Jupyter kernel, and show
what they promise (an inline graph, curves, an accuracy); the repository keeps them clean.

The kernel is this interpreter's: the test writes a kernelspec for ``sys.executable`` into a
temporary JUPYTER_PATH, so it works in a fresh environment with no kernel installed. The
kernel runs in a temporary folder (checkpoints and exercise files land there), with this
checkout on PYTHONPATH and MINIGRAD_DATA passed on. Each notebook is checked by the outputs
by the kinds and the text of its outputs, in the table below.
"""
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "docs" / "tutorials"
NOTEBOOKS = sorted(p.name for p in TUTORIALS.glob("*.ipynb"))
KERNEL = "minigrad-tests"
CELL_TIMEOUT = 600  # seconds; a loaded CI machine is slow, an idle one takes ~10-30 s a notebook

# The training loop's progress bars are widgets in a notebook (tqdm.auto), with ipywidgets.
try:
    import ipywidgets  # noqa: F401
    WIDGETS = {"application/vnd.jupyter.widget-view+json"}
except ImportError:
    WIDGETS = set()

# The graph drawn inline: an SVG through Graphviz's dot, else the text saying how to get it.
GRAPH = (({"image/svg+xml"}, (r"(autograd graph) of a", None)) if shutil.which("dot") else
         (set(), (r"(Install Graphviz) to see the graph drawn", None)))

# What each notebook must show: MIME types some output carries, and patterns in its text
# outputs with a lower bound on the number they capture (an accuracy, a count).
EXPECTED = {
    "01-autograd.ipynb": dict(kinds=GRAPH[0],
                              numbers=[(r"largest difference from minigrad: ([0-9.e+-]+)", None),
                                       (r"the broadcast gradient is the sum: (True)", None),
                                       GRAPH[1]]),
    "02-mnist.ipynb": dict(kinds={"image/png"} | WIDGETS,
                           numbers=[(r"resumed at epoch (\d+)", 1),
                                    (r"test accuracy: ([0-9.]+)%", 85.0)]),
    "03-gradient-check.ipynb": dict(kinds=set(),
                                    numbers=[(r"diagnosis: (factor)", None),
                                             (r"wrong (sign)", None),
                                             (r"sigmoid: (passed), every gradient", None)]),
    "04-optimizers.ipynb": dict(kinds={"image/png"},
                                numbers=[(r"best on MNIST: .+ with ([0-9.]+)%", 80.0)]),
    "05-language-model.ipynb": dict(kinds=WIDGETS,
                                    numbers=[(r"sampled (\d+) names", 10),
                                             (r"([0-9.]+) below uniform guessing", 0.8)]),
}

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
needs_mnist = pytest.mark.skipif(
    not os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist")),
    reason="the tutorials train on MNIST (and names) from $MINIGRAD_DATA")


def test_every_tutorial_is_tested_and_listed():
    assert NOTEBOOKS and set(NOTEBOOKS) == set(EXPECTED)
    page = (ROOT / "docs" / "tutorials.md").read_text()
    for name in NOTEBOOKS:
        assert f"(tutorials/{name})" in page, f"docs/tutorials.md does not link {name}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_repository_keeps_no_outputs(name):
    # Outputs go stale as the code changes; the test below makes fresh ones.
    notebook = nbformat.read(TUTORIALS / name, as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{name}: cell {index} keeps outputs; strip them (see docs/tutorials.md)"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A kernelspec for this interpreter in a temporary JUPYTER_PATH."""
    jupyter_path = tmp_path_factory.mktemp("jupyter")
    spec = jupyter_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "minigrad tests", "language": "python"}))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(jupyter_path)
    yield KERNEL
    if old is None:
        del os.environ["JUPYTER_PATH"]
    else:
        os.environ["JUPYTER_PATH"] = old


def run(name, kernel_name, folder):
    notebook = nbformat.read(TUTORIALS / name, as_version=4)
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    # This checkout, one BLAS thread; the kernel picks the inline matplotlib backend itself.
    env.update(PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
    client = nbclient.NotebookClient(notebook, kernel_name=kernel_name, timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(folder)}})
    client.execute(env=env)
    return notebook


def outputs(notebook):
    """(MIME types of all outputs, the text of all outputs)."""
    kinds, texts = set(), []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(output.text)
            elif output.output_type in ("display_data", "execute_result"):
                kinds |= set(output.data)
                texts.append(output.data.get("text/plain", ""))
    return kinds, "\n".join(texts)


@needs_mnist
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_notebook_runs_in_a_fresh_kernel_and_shows_its_results(name, kernel, tmp_path):
    kinds, text = outputs(run(name, kernel, tmp_path))
    expected = EXPECTED[name]
    assert expected["kinds"] <= kinds, f"{name} showed {sorted(kinds)}"
    for pattern, minimum in expected["numbers"]:
        found = re.search(pattern, text)
        assert found, f"{name} printed nothing like {pattern!r}:\n{text[-3000:]}"
        if minimum is not None:
            assert float(found.group(1)) >= minimum, found.group(0)
