"""The old home of the training curves, kept so that ``minigrad.plots`` still imports: they
are ``minigrad.viz.curves`` now."""
from .viz.curves import curves_figure, plot_curves  # noqa: F401
