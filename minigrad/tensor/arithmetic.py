"""Operators and comparisons: ``a + b``, ``a @ b``, ``a < b``, with PyTorch's dtype promotion."""
from __future__ import annotations

import numpy as np

from ..dtypes import result_dtype

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


def _operands(a, b):
    """Both operands as Tensors of their common dtype (scalars become 0-d constants)."""
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a.array.dtype == b.array.dtype:
        return a, b  # the common case, on every op's hot path: nothing to decide
    dtype = result_dtype(a, b)
    if not isinstance(a, Tensor):
        a = Tensor._make(np.asarray(a, dtype=dtype), False, None)
    elif a.dtype != dtype:
        a = a.astype(dtype)
    if not isinstance(b, Tensor):
        b = Tensor._make(np.asarray(b, dtype=dtype), False, None)
    elif b.dtype != dtype:
        b = b.astype(dtype)
    return a, b


class ArithmeticMethods:
    __slots__ = ()

    def __add__(self, other):
        return ops.Add.apply(*_operands(self, other))

    def __radd__(self, other):
        return ops.Add.apply(*_operands(other, self))

    def __sub__(self, other):
        return ops.Sub.apply(*_operands(self, other))

    def __rsub__(self, other):
        return ops.Sub.apply(*_operands(other, self))

    def __mul__(self, other):
        return ops.Mul.apply(*_operands(self, other))

    def __rmul__(self, other):
        return ops.Mul.apply(*_operands(other, self))

    def __truediv__(self, other):
        return F.div(self, other)

    def __rtruediv__(self, other):
        return F.div(other, self)

    def __pow__(self, exponent):
        return ops.Pow.apply(*_operands(self, exponent))

    def __rpow__(self, base):
        return ops.Pow.apply(*_operands(base, self))

    def __neg__(self):
        return ops.Neg.apply(self)

    def __abs__(self):
        return ops.Abs.apply(self)

    def __matmul__(self, other):
        return ops.MatMul.apply(*_operands(self, other))

    def __rmatmul__(self, other):
        return ops.MatMul.apply(*_operands(other, self))

    # Comparisons carry no gradient.
    def __eq__(self, other):
        return F.compare(np.equal, self, other)

    def __ne__(self, other):
        return F.compare(np.not_equal, self, other)

    def __lt__(self, other):
        return F.compare(np.less, self, other)

    def __le__(self, other):
        return F.compare(np.less_equal, self, other)

    def __gt__(self, other):
        return F.compare(np.greater, self, other)

    def __ge__(self, other):
        return F.compare(np.greater_equal, self, other)

    # Logical operators on bool tensors (bitwise on integers), as in PyTorch; no gradient.
    def __and__(self, other):
        return F.compare(np.bitwise_and, self, other)

    def __or__(self, other):
        return F.compare(np.bitwise_or, self, other)

    def __xor__(self, other):
        return F.compare(np.bitwise_xor, self, other)

    def __floordiv__(self, other):
        return F.compare(np.floor_divide, self, other)  # integer arithmetic: no gradient

    def __mod__(self, other):
        return F.compare(np.remainder, self, other)

    def __invert__(self):
        return Tensor._make(np.invert(self.array), False, None)

    # Named forms of the operators, with PyTorch's extra arguments.
    def add(self, other, *, alpha=1):
        return self + (other if alpha == 1 else alpha * other)

    def sub(self, other, *, alpha=1):
        return self - (other if alpha == 1 else alpha * other)

    def mul(self, other):
        return self * other

    def div(self, other):
        return F.div(self, other)

    def pow(self, exponent):
        return self ** exponent

    def neg(self):
        """-x."""
        return ops.Neg.apply(self)

    def matmul(self, other):
        return self @ other

    def eq(self, other):
        return self == other

    def ne(self, other):
        return self != other

    def lt(self, other):
        return self < other

    def le(self, other):
        return self <= other

    def gt(self, other):
        return self > other

    def ge(self, other):
        return self >= other

    def equal(self, other) -> bool:
        """True if both tensors have the same shape and elements (PyTorch's ``torch.equal``)."""
        return self.shape == other.shape and bool((self.array == other.array).all())

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """|self - other| <= atol + rtol * |other|, elementwise (no gradient)."""
        other = other.array if isinstance(other, Tensor) else other
        return Tensor._make(np.isclose(self.array, other, rtol, atol, equal_nan), False, None)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
        return bool(self.isclose(other, rtol, atol, equal_nan).array.all())
