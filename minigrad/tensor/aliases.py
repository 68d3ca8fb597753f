"""Methods that are only another name for a method defined elsewhere, one line each."""
from __future__ import annotations


class Aliases:
    __slots__ = ()

    def view(self, *shape): return self.reshape(*shape)  # noqa: E704
    def clip(self, min=None, max=None): return self.clamp(min, max)  # noqa: E704
    def mm(self, mat2): return self.matmul(mat2)  # noqa: E704
    def nelement(self): return self.numel()  # noqa: E704
    def ndimension(self): return self.dim()  # noqa: E704
    def absolute(self): return self.abs()  # noqa: E704
    def negative(self): return self.neg()  # noqa: E704
    def multiply(self, other): return self.mul(other)  # noqa: E704
    def subtract(self, other, *, alpha=1): return self.sub(other, alpha=alpha)  # noqa: E704
    def divide(self, other): return self.div(other)  # noqa: E704
    def true_divide(self, other): return self.div(other)  # noqa: E704
    def greater(self, other): return self.gt(other)  # noqa: E704
    def less(self, other): return self.lt(other)  # noqa: E704
    def bmm(self, mat2): return self.matmul(mat2)  # noqa: E704
    def outer(self, vec2): return self.reshape(-1, 1) * vec2.reshape(1, -1)  # noqa: E704
    def ger(self, vec2): return self.outer(vec2)  # noqa: E704
    def dot(self, other): return self.matmul(other)  # noqa: E704  (two vectors: a scalar)
    def mv(self, vec): return self.matmul(vec)  # noqa: E704
    def addmm(self, mat1, mat2, *, beta=1, alpha=1): return self * beta + (mat1 @ mat2) * alpha  # noqa: E704, E501
    def baddbmm(self, batch1, batch2, *, beta=1, alpha=1): return self * beta + (batch1 @ batch2) * alpha  # noqa: E704, E501

    def inner(self, other):
        """The sum over the last dimension of both: shape self.shape[:-1] + other.shape[:-1]."""
        if self.ndim == 0 or other.ndim == 0:
            return self * other
        size = self.shape[-1]
        flat = self.reshape(-1, size) @ other.reshape(-1, size).mT
        return flat.reshape(self.shape[:-1] + other.shape[:-1])

