"""``minigrad.viz``: pictures. One module per kind of picture:

    graph.py      the autograd graph behind a tensor (Graphviz): draw (inline in a notebook),
                  to_dot, render, retain_grads
    curves.py     training curves (loss and accuracy per epoch): plot_curves, curves_figure
    boundary.py   a classifier's decision regions in the plane, and their evolution

Each returns something a notebook shows inline: ``draw(loss)`` a graph, the plotting
functions a matplotlib Figure (and they write files when given a path, as the CLI does).
The graph needs Graphviz's ``dot`` only to render; the other two need matplotlib (the
``plot`` extra), imported only when a picture is drawn.
"""
from . import boundary, curves, graph
from .boundary import plot_decision_boundary, plot_frames
from .curves import curves_figure, plot_curves
from .graph import Drawing, describe, draw, render, retain_grads, to_dot, walk

__all__ = ["Drawing", "boundary", "curves", "curves_figure", "describe", "draw", "graph",
           "plot_curves", "plot_decision_boundary", "plot_frames", "render", "retain_grads",
           "to_dot", "walk"]
