"""Elementwise math methods: each a one-line wrapper around a primitive or a composite.

The transcendental functions of an integer tensor give the default float dtype (float32), as
in PyTorch: ``torch.sqrt(torch.tensor([4]))`` is ``tensor([2.])``.
"""
from __future__ import annotations

from ..dtypes import get_default_dtype

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


def _floating(x):
    return x if x.array.dtype.kind == "f" else x.astype(get_default_dtype())


class PointwiseMethods:
    __slots__ = ()

    def exp(self):
        return ops.Exp.apply(_floating(self))

    def log(self):
        return ops.Log.apply(_floating(self))

    def log1p(self):
        return ops.Log1p.apply(_floating(self))

    def sqrt(self):
        return ops.Sqrt.apply(_floating(self))

    def square(self):
        return self * self

    def sin(self):
        return ops.Sin.apply(_floating(self))

    def cos(self):
        return ops.Cos.apply(_floating(self))

    def abs(self):
        return ops.Abs.apply(self)

    def tanh(self):
        return ops.Tanh.apply(_floating(self))

    def sigmoid(self):
        return ops.Sigmoid.apply(_floating(self))

    def relu(self):
        return ops.ReLU.apply(self)

    def clamp(self, min=None, max=None):
        return F.clamp(self, min, max)

    def maximum(self, other):
        return F.maximum(self, other)

    def minimum(self, other):
        return F.minimum(self, other)
