"""``device=`` and ``dtype=`` of a layer's constructor, as PyTorch's ``factory_kwargs``."""
import numpy as np

from ..device import check_device


def parameter_dtype(device=None, dtype=None) -> np.dtype:
    """The dtype a layer's parameters get: float32 unless ``dtype`` names another floating
    type. ``device`` must be the CPU (or None), the only device minigrad has."""
    check_device(device)
    resolved = np.dtype(np.float32 if dtype is None else dtype)
    if resolved.kind != "f":
        raise TypeError(f"a layer's parameters must have a floating dtype; got dtype={resolved}")
    return resolved
