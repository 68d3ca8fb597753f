"""In-place updates: they change ``data`` and bump the version counter, so that backward can
refuse to use a value that was modified after an op saved it.

The augmented operators (``w -= lr * w.grad``) are in place whenever no graph is being
recorded through them, which is how the tutorials' manual updates under ``no_grad()`` work.
When a graph is recorded (a non-leaf tensor, grad mode on), ``y += x`` computes ``y + x`` out
of place and rebinds the name: the gradient is right, where a silent in-place change of a
graph value would make it wrong.
"""
from __future__ import annotations

import numpy as np

from .conversion import _to_array

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


class InplaceMethods:
    __slots__ = ()

    def _check_inplace(self):
        if not (self._requires_grad and autograd.is_grad_enabled()):
            return
        if self.grad_fn is None:
            raise RuntimeError("a leaf tensor that requires grad is being used in an in-place "
                               "operation; wrap the update in minigrad.no_grad()")
        # PyTorch records in-place ops in the graph; minigrad does not, so the gradient of a
        # graph tensor changed in place would be silently wrong: refuse instead.
        raise RuntimeError(f"in-place operations on a tensor that is part of a recorded graph "
                           f"(here the output of {self.grad_fn.name}) are not supported by "
                           "minigrad; use the out-of-place form (y = y * 2), or change it under "
                           "minigrad.no_grad()")

    def _inplace(self, values):
        self._check_inplace()
        self.array[...] = values
        self._version += 1
        return self

    def zero_(self):
        return self._inplace(0)

    def fill_(self, value):
        return self._inplace(_to_array(value))

    def copy_(self, source):
        _refuse_graph_source(source)
        return self._inplace(_to_array(source))

    def add_(self, other, *, alpha=1):
        return self._inplace(self.array + alpha * _to_array(other))

    def sub_(self, other, *, alpha=1):
        return self._inplace(self.array - alpha * _to_array(other))

    def mul_(self, other):
        return self._inplace(self.array * _to_array(other))

    def div_(self, other):
        return self._inplace(self.array / _to_array(other))

    def clamp_(self, min=None, max=None):
        return self._inplace(np.clip(self.array, min, max))

    def scatter_(self, dim, index, src=None, *, value=None):
        """self[index[i][j]][j] = src[i][j] (for dim=0), or ``value`` everywhere ``index``
        points: PyTorch's ``scatter_``, e.g. a one-hot label with
        ``zeros(10).scatter_(0, tensor(y), value=1)``."""
        if (src is None) == (value is None):
            raise TypeError("scatter_ needs exactly one of src and value")
        index = np.asarray(index.array if isinstance(index, Tensor) else index, dtype=np.int64)
        index = index.reshape(1) if index.ndim == 0 else index
        if index.ndim != self.ndim:
            raise ValueError(f"scatter_: index has {index.ndim} dimensions but the tensor has "
                             f"{self.ndim}")
        self._check_inplace()
        source = _to_array(value if src is None else src)
        if source.ndim:
            source = source[tuple(slice(0, n) for n in index.shape)]
        np.put_along_axis(self.array, index, source, axis=dim)
        self._version += 1
        return self

    def scatter_add_(self, dim, index, src):
        """self[index[i][j]][j] += src[i][j] (for dim=0), in place."""
        return self._inplace(F.scatter_add(self.detach(), dim, index, _detached(src)).array)

    def masked_fill_(self, mask, value):
        return F.masked_fill_(self, mask, value)

    def __setitem__(self, index, value):
        self._check_inplace()
        _refuse_graph_source(value)
        self.array[ops.normalize_index(index)] = _to_array(value)
        self._version += 1

    # ---------------------------------------------------------------- x += y, x -= y, ...
    def _records_graph(self, other) -> bool:
        if not autograd.is_grad_enabled() or (self.requires_grad and self.grad_fn is None):
            return False  # no graph; or a leaf that requires grad, which _check_inplace refuses
        return self.requires_grad or (isinstance(other, Tensor) and other.requires_grad)

    def __iadd__(self, other):
        return self + other if self._records_graph(other) else self.add_(other)

    def __isub__(self, other):
        return self - other if self._records_graph(other) else self.sub_(other)

    def __imul__(self, other):
        return self * other if self._records_graph(other) else self.mul_(other)

    def __itruediv__(self, other):
        return self / other if self._records_graph(other) else self.div_(other)


def _detached(value):
    return value.detach() if isinstance(value, Tensor) else value


def _refuse_graph_source(value):
    # Writing a graph tensor's values into another tensor would cut the graph silently.
    if isinstance(value, Tensor) and value.requires_grad and autograd.is_grad_enabled():
        raise RuntimeError("writing a tensor that requires grad into another tensor (x[i] = y, "
                           "x.copy_(y)) is not supported by minigrad: the gradient would not "
                           "flow; build the result with minigrad.stack or minigrad.cat instead")
