"""Conversions: to NumPy, to another dtype, out of the graph (detach) or into a copy (clone)."""
from __future__ import annotations

import numpy as np

from ..dtypes import DEFAULT_FLOAT

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


def _to_array(data, dtype=None) -> np.ndarray:
    if isinstance(data, Tensor):
        array = data.data
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    else:
        array = np.array(data)
        if array.dtype == np.float64:
            array = array.astype(DEFAULT_FLOAT)  # Python floats default to float32
    if array.dtype.kind not in "biuf":
        raise TypeError(f"cannot make a tensor from data of dtype {array.dtype}; "
                        "expected numbers or booleans")
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return array


class ConversionMethods:
    __slots__ = ()

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError("can't call numpy() on a tensor that requires grad; "
                               "use tensor.detach().numpy()")
        return self.data

    def detach(self):
        """The same data, cut off from the graph."""
        return Tensor._make(self.data, False, None)

    def clone(self):
        return F.clone(self)

    def astype(self, dtype):
        return self if self.dtype == np.dtype(dtype) else ops.AsType.apply(self, dtype=dtype)

    def to(self, dtype):
        return self.astype(dtype)

    def float(self):
        return self.astype(np.float32)

    def double(self):
        return self.astype(np.float64)

    def long(self):
        return self.astype(np.int64)
