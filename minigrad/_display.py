"""Where minigrad's output goes: a terminal, or a Jupyter notebook.

A notebook is an IPython kernel (``IPKernelApp`` in its configuration): there progress bars
are widgets (``tqdm.auto``), pictures are returned to be displayed inline, and matplotlib
keeps the backend the kernel chose. Anywhere else (a terminal, a script, a test) bars are text,
shown only on a terminal, and pictures are written to files with the Agg backend.
"""
from __future__ import annotations

import sys


def in_notebook() -> bool:
    """True inside a Jupyter kernel (not a plain or terminal-IPython interpreter)."""
    ipython = sys.modules.get("IPython")  # never import IPython just to ask
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def in_ipython() -> bool:
    """True inside any IPython shell (a notebook, or terminal IPython with its own backend)."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


def progress_disabled(progress) -> bool | None:
    """tqdm's ``disable`` for a ``progress`` argument: True/False force the bars off/on;
    None shows them on a terminal and in a notebook. tqdm's own None means "only on a TTY",
    and a kernel's output stream is no TTY, so a notebook would get no bar without this."""
    if progress is None:
        return None if not in_notebook() else False
    return not progress


def text_bars_in_notebook() -> bool:
    """True in a notebook whose bars are text (ipywidgets missing: tqdm.auto falls back to its
    text bar). A cell's output cannot move the cursor up, so a second, nested bar would print
    a new line at every update: callers leave nested bars out then."""
    if not in_notebook():
        return False
    import tqdm.auto
    import tqdm.notebook
    return not issubclass(tqdm.auto.tqdm, tqdm.notebook.tqdm)
