"""``minigrad.viz``: pictures. One module per kind of picture:

    graph.py      the autograd graph behind a tensor (Graphviz): to_dot, render, retain_grads
    curves.py     training curves (loss and accuracy per epoch): plot_curves, curves_figure
    boundary.py   a classifier's decision regions in the plane, and their evolution

The graph needs Graphviz's ``dot`` only to render; the other two need matplotlib (the
``plot`` extra), imported only when a picture is drawn.
"""
from . import boundary, curves, graph
from .boundary import plot_decision_boundary, plot_frames
from .curves import curves_figure, plot_curves
from .graph import render, retain_grads, to_dot, walk

__all__ = ["boundary", "curves", "curves_figure", "graph", "plot_curves",
           "plot_decision_boundary", "plot_frames", "render", "retain_grads", "to_dot", "walk"]
