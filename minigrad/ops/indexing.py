"""Indexing: ``a[index]`` and its adjoint, the scatter-add of a gradient into zeros."""
import numpy as np

from ..autograd import Function
from ..tensor import Tensor


def normalize_index(index):
    """Tensors and lists inside an index become NumPy arrays; everything else is kept."""
    def convert(item):
        if isinstance(item, Tensor):
            return item.array
        if isinstance(item, list):
            return np.asarray(item)
        return item
    if isinstance(index, tuple):
        return tuple(convert(item) for item in index)
    return convert(index)


def _is_basic(index) -> bool:
    """True when the index only slices (ints, slices, None, ...): no element can repeat."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis
               for i in items)


class GetItem(Function):
    """out = a[index] (basic or integer-array indexing);  da = g scatter-added into zeros
    at ``index``, so an element picked several times receives the sum of its gradients.
    ``unique=True`` promises that no element is picked twice (max pooling's windows that do
    not overlap), which lets the scatter be a plain assignment."""

    def forward(self, a, index, unique=False):
        self.index, self.input_shape, self.unique = index, a.shape, unique
        try:
            out = a[index]
        except IndexError as error:
            raise IndexError(f"{error} (indexing a tensor of shape {a.shape})") from None
        # One element comes back from NumPy as a scalar: keep it a 0-d array, which a later
        # in-place update (``counts[i, j] += 1``) can write to.
        return out if isinstance(out, np.ndarray) else np.asarray(out)

    def backward(self, grad, out):
        return (IndexAdd.apply(grad, index=self.index, shape=self.input_shape, unique=self.unique),)


class IndexAdd(Function):
    """out = zeros(shape) with g added at ``index``;  dg = grad_out[index]."""

    def forward(self, g, index, shape, unique=False):
        self.index = index
        out = np.zeros(shape, dtype=g.dtype)
        if unique or _is_basic(index):
            out[index] = g
        else:
            np.add.at(out, index, g)  # accumulates repeated indices, unlike out[index] += g
        return out

    def backward(self, grad, out):
        return (GetItem.apply(grad, index=self.index),)
