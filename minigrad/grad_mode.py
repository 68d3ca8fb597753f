"""Grad mode and anomaly mode: two per-thread switches the engine reads.

``no_grad()`` turns graph recording off (evaluation, optimizer updates, backward passes that
need no second derivative); ``detect_anomaly()`` makes every op remember where it was created
and backward check every gradient for NaN and Inf.
"""
from __future__ import annotations

import threading


# --------------------------------------------------------------------------- grad mode
class _GradMode(threading.local):
    # Per thread, like PyTorch: a no_grad block in one thread does not affect another.
    enabled = True


_grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    return _grad_mode.enabled


class _GradModeContext:
    """Base for the grad-mode switches: a context manager that is also a decorator."""

    mode: bool

    def __enter__(self):
        self._previous = _grad_mode.enabled
        _grad_mode.enabled = self.mode

    def __exit__(self, *exc_info):
        _grad_mode.enabled = self._previous
        return False

    def __call__(self, func):
        mode = self.mode

        def wrapper(*args, **kwargs):
            previous = _grad_mode.enabled
            _grad_mode.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                _grad_mode.enabled = previous

        wrapper.__name__ = getattr(func, "__name__", "wrapper")
        wrapper.__doc__ = getattr(func, "__doc__", None)
        wrapper.__wrapped__ = func
        return wrapper


class no_grad(_GradModeContext):
    """Record no graph inside the block (or the decorated function): for evaluation and updates."""

    mode = False


class enable_grad(_GradModeContext):
    """Record the graph again inside a ``no_grad`` block."""

    mode = True


class inference_mode(_GradModeContext):
    """PyTorch's ``inference_mode``: here exactly ``no_grad`` (``inference_mode(False)`` records
    the graph as usual)."""

    def __init__(self, mode: bool = True):
        self.mode = not mode


class set_grad_enabled(_GradModeContext):
    """``set_grad_enabled(False)`` switches recording off now; as a context manager it restores
    the previous mode on exit (PyTorch's semantics)."""

    def __init__(self, mode: bool):
        self.mode = bool(mode)
        self._previous = _grad_mode.enabled
        _grad_mode.enabled = self.mode

    def __enter__(self):
        pass  # already switched in __init__, as PyTorch does

    def __call__(self, func):
        # As a decorator it must not leave the mode switched from the moment of decoration.
        _grad_mode.enabled = self._previous
        return super().__call__(func)


# ----------------------------------------------------------------------- anomaly mode
class _AnomalyMode(threading.local):
    enabled = False
    check_nan = True  # backward raises at a non-finite gradient (PyTorch's check_nan)


_anomaly_mode = _AnomalyMode()


class detect_anomaly:
    """Inside this block, each op records where it was created, and backward raises at the
    first op whose gradient contains NaN or Inf, naming the op and that place.

    Inside the block minigrad's report is the only one: NumPy's own "divide by zero" /
    "invalid value" warnings are silenced in minigrad's ops (forward and backward), as
    PyTorch prints none for log(0); outside the block they are left to NumPy.
    With ``check_nan=False`` the ops still record where they were made, backward does not
    raise, and NumPy's warnings stay (PyTorch's argument). Off by default: when off, creating an op costs one attribute
    check and nothing more.
    """

    def __init__(self, check_nan: bool = True):
        self.check_nan = bool(check_nan)

    def __enter__(self):
        self._previous = (_anomaly_mode.enabled, _anomaly_mode.check_nan)
        _anomaly_mode.enabled, _anomaly_mode.check_nan = True, self.check_nan
        return self

    def __exit__(self, *exc_info):
        _anomaly_mode.enabled, _anomaly_mode.check_nan = self._previous
        return False


class set_detect_anomaly(detect_anomaly):
    """``set_detect_anomaly(mode, check_nan=True)``: anomaly mode on or off from now on; as a
    context manager it restores the previous mode on exit (PyTorch's semantics)."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self._previous = (_anomaly_mode.enabled, _anomaly_mode.check_nan)
        _anomaly_mode.enabled, _anomaly_mode.check_nan = bool(mode), bool(check_nan)

    def __enter__(self):
        return self  # already switched in __init__


def is_anomaly_enabled() -> bool:
    return _anomaly_mode.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return _anomaly_mode.check_nan
