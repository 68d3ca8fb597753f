"""``unique``: the distinct values (or rows / slices) of a tensor. Not differentiable, as in
PyTorch: the result is a set of values, not a function of the input's values."""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,
           return_counts: bool = False, dim=None):
    """The distinct elements of ``input`` in ascending order (or its distinct slices along
    ``dim``), optionally with ``inverse`` (where each element / slice went: input equals
    output[inverse]) and ``counts``, as PyTorch's ``torch.unique``. The output is always sorted
    (``sorted=False`` permits any order, and sorted is one)."""
    array = input.array
    if dim is not None:
        if not -array.ndim <= dim < max(array.ndim, 1):
            raise IndexError(f"unique: dim {dim} is out of range for a tensor of "
                             f"{array.ndim} dimensions")
        dim %= array.ndim
    values, inverse, counts = np.unique(array, return_inverse=True, return_counts=True,
                                        axis=dim)
    # NumPy's inverse is flat (or, in some versions, input-shaped); PyTorch's has the input's
    # shape without dim, or the length of dim with it.
    inverse = inverse.reshape(array.shape if dim is None else (array.shape[dim],))
    result = (Tensor._make(values, False, None),)
    if return_inverse:
        result += (Tensor._make(inverse.astype(np.int64), False, None),)
    if return_counts:
        result += (Tensor._make(counts.astype(np.int64), False, None),)
    return result[0] if len(result) == 1 else result
