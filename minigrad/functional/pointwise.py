"""Arithmetic and elementwise composites: PyTorch's argument conventions (numbers accepted
where a tensor is, true division) on top of the primitive ops."""
from __future__ import annotations

from .. import ops
from ..dtypes import get_default_dtype
from ..ops._common import constant
from ..static.hooks import kernel
from ..tensor import Tensor, _operands


def _tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def add(a, b):
    return ops.Add.apply(*_operands(a, b))


def mul(a, b):
    return ops.Mul.apply(*_operands(a, b))


def div(a, b):
    """a / b. True division: integer operands give float32, as in PyTorch."""
    a, b = _operands(a, b)
    if a.dtype.kind != "f":
        a, b = a.astype(get_default_dtype()), b.astype(get_default_dtype())
    return ops.Div.apply(a, b)


def matmul(a, b):
    return ops.MatMul.apply(*_operands(a, b))


def compare(numpy_compare, a, b) -> Tensor:
    """An elementwise comparison: a bool tensor, carrying no gradient."""
    a, b = _operands(a, b)
    return Tensor._make(kernel(numpy_compare, a.array, b.array), False, None)


def exp(x):
    return _tensor(x).exp()


def log(x):
    return _tensor(x).log()


def sqrt(x):
    return _tensor(x).sqrt()


def tanh(x):
    return _tensor(x).tanh()


def sigmoid(x):
    return _tensor(x).sigmoid()


def relu(x):
    return _tensor(x).relu()


def clamp(x, min=None, max=None):
    """min(max(x, min), max). Either bound may be None."""
    if min is None and max is None:
        raise ValueError("clamp needs at least one of min and max")
    return ops.Clamp.apply(_tensor(x), low=min, high=max)


def maximum(a, b):
    return ops.Maximum.apply(*_operands(a, b))


def minimum(a, b):
    return ops.Minimum.apply(*_operands(a, b))


def where(condition, x, y):
    """x where condition holds, else y. The condition carries no gradient."""
    condition = constant(condition.array if isinstance(condition, Tensor) else condition)
    if condition.dtype != bool:
        raise TypeError(f"where expects a bool condition; got dtype {condition.dtype}")
    x, y = _operands(x, y)
    return ops.Where.apply(condition, x, y)


def clone(x):
    return ops.Clone.apply(x)
