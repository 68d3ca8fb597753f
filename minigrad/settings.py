"""Process-wide settings with PyTorch's names: how tensors print, and the determinism flag.

Tensors print through NumPy, so ``set_printoptions`` sets NumPy's print options (PyTorch's
names: ``precision``, ``threshold``, ``edgeitems``, ``linewidth``, ``profile``,
``sci_mode``).
"""
import numpy as np

# PyTorch's profiles, in NumPy's terms ("default" is NumPy's own defaults: minigrad prints
# as NumPy does).
_PROFILES = {"default": dict(precision=8, threshold=1000, edgeitems=3, linewidth=75),
             "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
             "full": dict(precision=4, threshold=np.inf, edgeitems=3, linewidth=80)}
_state = {"deterministic": False}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """PyTorch's print options; ``sci_mode=False`` never uses scientific notation."""
    if profile is not None and profile not in _PROFILES:
        raise ValueError(f"set_printoptions: profile must be 'default', 'short' or 'full'; got "
                         f"{profile!r}")
    options = dict(_PROFILES[profile]) if profile is not None else {}
    options.update({name: value for name, value in
                    (("precision", precision), ("threshold", threshold),
                     ("edgeitems", edgeitems), ("linewidth", linewidth)) if value is not None})
    if sci_mode is not None:
        options["suppress"] = not sci_mode
    np.set_printoptions(**options)


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False):
    """Accepted and recorded: every minigrad operation is already deterministic (NumPy on the
    CPU, fixed summation order), so both settings give the same results."""
    if not isinstance(mode, bool):
        raise TypeError(f"use_deterministic_algorithms expects a bool; got {type(mode).__name__}")
    _state["deterministic"] = mode


def are_deterministic_algorithms_enabled() -> bool:
    return _state["deterministic"]
