"""``Parameter``: a tensor that a Module trains, and the dtype layers make theirs with."""
import numpy as np

from ..device import check_device
from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and that ``Module.parameters()`` finds."""
    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True, dtype=None):
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


def factory_dtype(device=None, dtype=None) -> np.dtype:
    """The dtype of a layer's parameters from PyTorch's ``device=`` and ``dtype=`` arguments:
    the device must be the CPU, the dtype a floating-point one (float32 when None)."""
    check_device(device)
    dtype = np.dtype(np.float32 if dtype is None else dtype)
    if dtype.kind != "f":
        raise TypeError(f"only floating-point dtypes can require gradients; a layer's parameters "
                        f"cannot have dtype {dtype}")
    return dtype
