"""In-place updates: they change ``data`` and bump the version counter, so that backward can
refuse to use a value that was modified after an op saved it."""
from __future__ import annotations

from .conversion import _to_array

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


class InplaceMethods:
    __slots__ = ()

    def _check_inplace(self):
        if self.requires_grad and self.grad_fn is None and autograd.is_grad_enabled():
            raise RuntimeError("a leaf tensor that requires grad is being used in an in-place "
                               "operation; wrap the update in minigrad.no_grad()")

    def _inplace(self, values):
        self._check_inplace()
        self.data[...] = values
        self._version += 1
        return self

    def zero_(self):
        return self._inplace(0)

    def fill_(self, value):
        return self._inplace(value)

    def copy_(self, source):
        return self._inplace(_to_array(source))

    def add_(self, other, alpha=1):
        return self._inplace(self.data + alpha * _to_array(other))

    def sub_(self, other, alpha=1):
        return self._inplace(self.data - alpha * _to_array(other))

    def mul_(self, other):
        return self._inplace(self.data * _to_array(other))

    def __setitem__(self, index, value):
        self._check_inplace()
        self.data[ops.normalize_index(index)] = _to_array(value)
        self._version += 1

