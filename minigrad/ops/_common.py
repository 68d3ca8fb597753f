"""Small helpers shared by the op modules."""
import numpy as np

from ..tensor import Tensor


def constant(array) -> Tensor:
    """A Tensor that is not part of any graph (masks, counts, scale factors)."""
    return Tensor._make(np.asarray(array), False, None)


def normalize_dims(dim, ndim: int):
    """``dim`` (None, an int or a sequence) as a sorted tuple of non-negative axes, or None."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if ndim == 0:  # a 0-d tensor accepts dim 0 or -1, and has no axis to reduce (PyTorch)
        for d in dims:
            if d not in (0, -1):
                raise IndexError(f"dimension {d} is out of range for a tensor with 0 dimensions")
        return ()
    normalized = []
    for d in dims:
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise IndexError(f"dimension {d} is out of range for a tensor with {ndim} dimensions")
        normalized.append(int(d) % max(ndim, 1))
    return tuple(sorted(set(normalized)))


def keepdim_shape(shape, axes):
    """The shape a reduction over ``axes`` has with keepdim=True."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else n for i, n in enumerate(shape))
