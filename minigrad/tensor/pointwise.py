"""Elementwise math methods: each a one-line wrapper around a primitive or a composite."""
from __future__ import annotations

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


class PointwiseMethods:
    __slots__ = ()

    def exp(self):
        return ops.Exp.apply(self)

    def log(self):
        return ops.Log.apply(self)

    def log1p(self):
        return ops.Log1p.apply(self)

    def sqrt(self):
        return ops.Sqrt.apply(self)

    def square(self):
        return self * self

    def sin(self):
        return ops.Sin.apply(self)

    def cos(self):
        return ops.Cos.apply(self)

    def abs(self):
        return ops.Abs.apply(self)

    def tanh(self):
        return ops.Tanh.apply(self)

    def sigmoid(self):
        return ops.Sigmoid.apply(self)

    def relu(self):
        return ops.ReLU.apply(self)

    def clamp(self, min=None, max=None):
        return F.clamp(self, min, max)

    def maximum(self, other):
        return F.maximum(self, other)

    def minimum(self, other):
        return F.minimum(self, other)
