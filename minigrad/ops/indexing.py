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

    # A basic index gives a view of the input: an in-place change of the view is made to the
    # input instead, as base[index] = f(base[index]) (see tensor/inplace.py).
    is_view = True

    def replay(self, base):
        return GetItem.apply(base, index=self.index)

    def place(self, base, value):
        return SetItem.apply(base, value, index=self.index)


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


class SetItem(Function):
    """out = a with ``value`` written at ``index`` (``h[:, t] = v`` on a graph tensor);
    da = g with zeros at ``index`` (those elements were overwritten), dvalue = g[index]
    (summed by the engine over the positions a broadcast value filled)."""

    def forward(self, a, value, index):
        self.index, self.value_shape = index, value.shape
        out = a.copy()
        out[index] = value
        return out

    def backward(self, grad, out):
        need_a, need_value = self.needs_input_grad
        grad_a = grad_value = None
        if need_a:
            zero = Tensor._make(np.zeros((), dtype=grad.dtype), False, None)
            grad_a = SetItem.apply(grad, zero, index=self.index)
        if need_value:
            grad_value = GetItem.apply(grad, index=self.index)
            if grad_value.ndim < len(self.value_shape):  # v of shape (1, n) written to n places
                grad_value = grad_value.reshape(self.value_shape)
        return grad_a, grad_value

    def changed_region(self, array):
        """The part of the input array this op overwrote (all of it for an advanced index)."""
        return array[self.index] if _is_basic(self.index) else array


class Copy(Function):
    """out = ``source`` broadcast to a's shape and dtype (``a.copy_(source)``, ``a.zero_()``,
    ``a.fill_(v)`` on a graph tensor);  da = 0 (every element was overwritten, as PyTorch's
    CopyBackwards gives), dsource = g summed over the broadcast dimensions (by the engine)."""

    def forward(self, a, source):
        return np.array(np.broadcast_to(source, a.shape), dtype=a.dtype)

    def backward(self, grad, out):
        zero = Tensor._make(np.zeros_like(grad.array), False, None)
        return zero, grad
