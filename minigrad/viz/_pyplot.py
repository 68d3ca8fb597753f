"""matplotlib, when it is installed (the ``plot`` extra): the pictures import it only when they
draw, so ``import minigrad`` never needs it."""
from __future__ import annotations


def have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def pyplot():
    """matplotlib.pyplot drawing into files (the Agg backend: no window, no display needed),
    or None without matplotlib."""
    if not have_matplotlib():
        return None
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt
