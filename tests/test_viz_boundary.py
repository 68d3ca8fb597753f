"""Decision-boundary pictures: a Figure to show inline, a PNG when given a path, and the Agg
backend forced only outside IPython."""
import sys
import types

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.viz import _pyplot, boundary

plt = pytest.importorskip("matplotlib.pyplot")


def setup():
    mg.manual_seed(0)
    X = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2)), X, y


def test_without_a_path_the_figure_is_returned_and_not_left_to_pyplot():
    model, X, y = setup()
    before = set(plt.get_fignums())
    figure = boundary.plot_decision_boundary(model, X, y, title="t", resolution=20)
    # pyplot forgot it, so a notebook's inline backend draws it once: as the cell's value
    assert set(plt.get_fignums()) == before
    assert figure.axes[0].get_title() == "t" and figure.axes[0].images


def test_with_a_path_a_png_is_written(tmp_path):
    model, X, y = setup()
    boundary.plot_decision_boundary(model, X, y, path=tmp_path / "b.png", resolution=20)
    assert (tmp_path / "b.png").read_bytes()[:4] == b"\x89PNG"


def test_frames_without_paths_give_the_sheet(tmp_path):
    model, X, y = setup()
    extent = boundary.grid_extent(X)
    frames = [(f"epoch {e}", boundary.predict_grid(model, extent, 10)) for e in (1, 2, 3)]
    sheet = boundary.plot_frames(frames, extent, X, y, columns=2)
    assert [ax.get_title() for ax in sheet.axes[:3]] == ["epoch 1", "epoch 2", "epoch 3"]
    assert boundary.plot_frames(frames, extent, X, y, gif_path=tmp_path / "f.gif") is None
    assert (tmp_path / "f.gif").read_bytes()[:3] == b"GIF"


@pytest.mark.parametrize("shell, forced", [(None, True), (object(), False)])
def test_agg_is_forced_only_outside_ipython(monkeypatch, shell, forced):
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    chosen = []
    monkeypatch.setattr("matplotlib.use", chosen.append)
    assert _pyplot.pyplot() is plt
    assert chosen == (["Agg"] if forced else [])
