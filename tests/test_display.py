"""Telling a notebook from a terminal: what the progress bars and the pictures decide on."""
import sys
import types

import pytest

from minigrad import _display


def fake_ipython(monkeypatch, shell):
    module = types.ModuleType("IPython")
    module.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", module)


class Shell:
    def __init__(self, config):
        self.config = config


@pytest.mark.parametrize("shell, notebook, ipython", [
    ("no IPython", False, False),
    (None, False, False),                              # IPython imported, but no shell running
    (Shell({}), False, True),                          # terminal IPython
    (Shell({"IPKernelApp": {"connection_file": "k.json"}}), True, True),  # a Jupyter kernel
])
def test_a_kernel_is_a_notebook_and_terminal_ipython_is_not(monkeypatch, shell, notebook,
                                                           ipython):
    if shell == "no IPython":
        monkeypatch.delitem(sys.modules, "IPython", raising=False)
    else:
        fake_ipython(monkeypatch, shell)
    assert _display.in_notebook() is notebook
    assert _display.in_ipython() is ipython


@pytest.mark.parametrize("progress, notebook, disable", [
    (None, False, None),    # tqdm's own rule: bars only on a terminal (a TTY)
    (None, True, False),    # a kernel's stream is no TTY, but a notebook wants its bars
    (True, False, False), (True, True, False),
    (False, False, True), (False, True, True),
])
def test_progress_none_means_terminal_or_notebook(monkeypatch, progress, notebook, disable):
    fake_ipython(monkeypatch, Shell({"IPKernelApp": {}} if notebook else {}))
    assert _display.progress_disabled(progress) is disable


@pytest.mark.parametrize("notebook, widgets, text_bars", [
    (True, True, False), (True, False, True),   # no ipywidgets: tqdm.auto's text bar
    (False, False, False), (False, True, False),
])
def test_a_notebook_without_widgets_has_text_bars(monkeypatch, notebook, widgets, text_bars):
    import tqdm.auto
    import tqdm.notebook
    import tqdm.std
    monkeypatch.setattr(_display, "in_notebook", lambda: notebook)
    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.notebook.tqdm if widgets else tqdm.std.tqdm)
    assert _display.text_bars_in_notebook() is text_bars
