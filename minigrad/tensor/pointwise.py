"""Elementwise math methods: each a one-line wrapper around a primitive or a composite.

The transcendental functions of an integer tensor give the default float dtype (float32), as
in PyTorch: ``torch.sqrt(torch.tensor([4]))`` is ``tensor([2.])``.
"""
from __future__ import annotations

import math

import numpy as np

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

    def clamp_min(self, min):
        return F.clamp(self, min, None)

    def clamp_max(self, max):
        return F.clamp(self, None, max)

    def maximum(self, other):
        return F.maximum(self, other)

    def minimum(self, other):
        return F.minimum(self, other)

    # Compositions: their gradients come from the parts.
    def reciprocal(self):
        return 1.0 / _floating(self)

    def rsqrt(self):
        return 1.0 / self.sqrt()

    def log2(self):
        return self.log() * (1.0 / math.log(2.0))

    def log10(self):
        return self.log() * (1.0 / math.log(10.0))

    def expm1(self):
        return self.exp() - 1.0

    def sinh(self):
        return (self.exp() - (-self).exp()) * 0.5

    def cosh(self):
        return (self.exp() + (-self).exp()) * 0.5

    def erf(self):
        return ops.Erf.apply(_floating(self))

    def lerp(self, end, weight):
        """self + weight (end - self)."""
        return self + (end - self) * weight

    def remainder(self, other):
        """Python's (and PyTorch's) modulus: the result has the divisor's sign."""
        return self % other

    def fmod(self, other):
        """C's remainder: the result has the dividend's sign, x - trunc(x / y) y."""
        return self - (self / other).trunc().detach() * other

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        """NaN -> nan, +inf -> posinf, -inf -> neginf (default: the dtype's extremes); the
        gradient passes through the finite elements only."""
        replaced = np.nan_to_num(self.array, nan=nan, posinf=posinf, neginf=neginf)
        return F.where(self.isfinite(), self, Tensor._make(replaced, False, None))

    # Piecewise-constant or boolean results: no gradient flows through them.
    def sign(self):
        return _constant(np.sign(self.array))

    def floor(self):
        return _constant(np.floor(self.array))

    def ceil(self):
        return _constant(np.ceil(self.array))

    def trunc(self):
        return _constant(np.trunc(self.array))

    def round(self, decimals: int = 0):
        return _constant(np.round(self.array, decimals))  # half to even, as PyTorch

    def isnan(self):
        return _constant(np.isnan(self.array))

    def isinf(self):
        return _constant(np.isinf(self.array))

    def isfinite(self):
        return _constant(np.isfinite(self.array))

    def logical_not(self):
        return _constant(np.logical_not(self.array))

    def logical_and(self, other):
        return _constant(np.logical_and(self.array, _values(other)))

    def logical_or(self, other):
        return _constant(np.logical_or(self.array, _values(other)))


def _constant(array) -> Tensor:
    return Tensor._make(np.asarray(array), False, None)


def _values(x):
    return x.array if isinstance(x, Tensor) else np.asarray(x)

