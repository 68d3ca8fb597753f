"""Pictures of a classifier in the plane: its decision regions and their evolution (its
training curves are drawn by ``curves.py``, as for MNIST).

The model is evaluated on a grid that covers the points; each grid cell is painted with the
class colours mixed in proportion to the predicted probabilities, so a confident region is
a saturated colour and an uncertain one fades to grey. Black lines mark where the most
probable class changes (the decision boundary). Needs matplotlib (``pip install
minigrad[plot]``); every function imports it only when called.
"""
from __future__ import annotations

import numpy as np

from ..autograd import no_grad
from ..tensor import Tensor
from ._pyplot import finish, have_matplotlib, pyplot as _pyplot  # noqa: F401  (have_matplotlib: re-exported)

COLORS = np.array([[0.12, 0.47, 0.71], [1.00, 0.50, 0.05], [0.17, 0.63, 0.17],
                   [0.84, 0.15, 0.16], [0.58, 0.40, 0.74], [0.55, 0.34, 0.29],
                   [0.89, 0.47, 0.76], [0.50, 0.50, 0.50], [0.74, 0.74, 0.13],
                   [0.09, 0.75, 0.81]])  # matplotlib's tab10, one row per class




def grid_extent(*point_sets, margin: float = 0.25) -> tuple[float, float, float, float]:
    """(x_min, x_max, y_min, y_max) around all points, widened by ``margin`` of the span."""
    points = np.concatenate([np.asarray(p.array if isinstance(p, Tensor) else p)
                             for p in point_sets if p is not None])
    low, high = points.min(0), points.max(0)
    pad = margin * np.maximum(high - low, 1e-6)
    return low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1]


def predict_grid(model, extent, resolution: int = 200) -> np.ndarray:
    """Class probabilities of ``model`` (logits out) on a resolution x resolution grid over
    ``extent``: an array of shape (resolution, resolution, classes), row 0 at y_min."""
    x_min, x_max, y_min, y_max = extent
    xs, ys = np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution)
    grid = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2).astype(np.float32)
    was_training = model.training
    model.eval()
    with no_grad():
        logits = model(Tensor(grid)).array.astype(np.float64)
    model.train(was_training)
    # softmax, shifted by the row maximum so that exp cannot overflow
    logits -= logits.max(1, keepdims=True)
    probabilities = np.exp(logits)
    probabilities /= probabilities.sum(1, keepdims=True)
    return probabilities.reshape(resolution, resolution, -1)


def draw(ax, probabilities, extent, X_train, y_train, X_val=None, y_val=None, title=None):
    """Paint one decision-boundary panel on a matplotlib axis."""
    classes = probabilities.shape[-1]
    colors = COLORS[np.arange(classes) % len(COLORS)]
    # Probability-weighted colour, lightened towards white so the points stand out.
    image = 0.45 * (probabilities @ colors) + 0.55
    ax.imshow(image, origin="lower", extent=extent, aspect="auto", interpolation="bilinear")
    winner = probabilities.argmax(-1)
    if classes > 1 and winner.min() != winner.max():
        xs = np.linspace(extent[0], extent[1], winner.shape[1])
        ys = np.linspace(extent[2], extent[3], winner.shape[0])
        ax.contour(xs, ys, winner, levels=np.arange(classes - 1) + 0.5, colors="k",
                   linewidths=0.8)
    # Training points small, validation points as larger outlined triangles drawn on top.
    for X, y, style in ((X_train, y_train, dict(marker="o", s=12, edgecolors="w",
                                                linewidths=0.3, label="train")),
                        (X_val, y_val, dict(marker="^", s=28, edgecolors="k", linewidths=0.7,
                                            label="validation"))):
        if X is not None:
            X, y = np.asarray(getattr(X, "data", X)), np.asarray(getattr(y, "data", y))
            ax.scatter(X[:, 0], X[:, 1], c=colors[y % len(colors)], **style)
    ax.set(xlim=extent[:2], ylim=extent[2:], xticks=[], yticks=[])
    if title:
        ax.set_title(title, fontsize=10)


def plot_decision_boundary(model, X_train, y_train, X_val=None, y_val=None, path=None,
                           title=None, resolution: int = 200):
    """The decision regions of ``model`` with the training points (circles) and validation
    points (triangles); written to ``path`` (PNG by its suffix) when given. Returns the
    Figure, detached from pyplot: a notebook shows it inline when it is a cell's value."""
    plt = _pyplot()
    extent = grid_extent(X_train, X_val)
    figure, ax = plt.subplots(figsize=(5, 4.5))
    draw(ax, predict_grid(model, extent, resolution), extent, X_train, y_train, X_val, y_val,
         title)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.8)
    figure.tight_layout()
    return finish(figure, path, dpi=100)


def plot_frames(frames, extent, X_train, y_train, X_val=None, y_val=None, sheet_path=None,
                gif_path=None, columns: int = 4):
    """``frames`` is a list of (title, probabilities from ``predict_grid``) at successive
    epochs. Writes them as a sheet of panels (PNG) and/or as an animated GIF (one frame per
    entry, through Pillow, which matplotlib depends on). Without either path it draws the
    sheet only. Returns the sheet's Figure (shown inline as a notebook cell's value), or None
    when only the GIF was asked for."""
    plt = _pyplot()
    sheet = None
    if sheet_path or not gif_path:
        rows = -(-len(frames) // columns)
        figure, axes = plt.subplots(rows, columns, figsize=(3 * columns, 2.8 * rows),
                                    squeeze=False)
        for ax in axes.flat[len(frames):]:
            ax.axis("off")
        for ax, (title, probabilities) in zip(axes.flat, frames):
            draw(ax, probabilities, extent, X_train, y_train, X_val, y_val, title)
        figure.tight_layout()
        sheet = finish(figure, sheet_path, dpi=80)
    if gif_path:
        from matplotlib.animation import FuncAnimation, PillowWriter
        figure, ax = plt.subplots(figsize=(4.5, 4))
        figure.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.92)  # no ticks: no margin

        def show(index):
            ax.clear()
            draw(ax, frames[index][1], extent, X_train, y_train, X_val, y_val, frames[index][0])

        animation = FuncAnimation(figure, show, frames=len(frames))
        animation.save(gif_path, writer=PillowWriter(fps=2), dpi=80)
        plt.close(figure)
    return sheet
