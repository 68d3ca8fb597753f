"""matplotlib, when it is installed (the ``plot`` extra): the pictures import it only when they
draw, so ``import minigrad`` never needs it.

Outside IPython the pictures are files, drawn with the Agg backend (no window, no display
needed). Inside IPython the backend is the one the shell chose (a notebook's inline backend),
so a returned Figure shows in the notebook. Every figure is detached from pyplot before it is
returned (``finish``): pyplot would otherwise keep it alive and the inline backend would draw
it a second time at the end of the cell."""
from __future__ import annotations

from .._display import in_ipython


def have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def pyplot():
    """matplotlib.pyplot (drawing into files with Agg outside IPython), or None without
    matplotlib."""
    if not have_matplotlib():
        return None
    import matplotlib
    if not in_ipython():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def finish(figure, path=None, dpi: int = 100):
    """Write ``figure`` to ``path`` when given and detach it from pyplot. Returns the figure:
    a notebook shows it when it is a cell's value (``display(figure)`` anywhere else)."""
    import matplotlib.pyplot as plt
    if path is not None:
        figure.savefig(path, dpi=dpi)
    plt.close(figure)  # a closed figure still draws when displayed; pyplot just forgets it
    return figure


__all__ = ["finish", "have_matplotlib", "pyplot"]
