"""More elementwise primitives: sine, cosine and log(1 + x).

Their backwards are written with Tensor operations (``a.cos()``, ``1 + a``), so the
gradients are themselves differentiable."""
import numpy as np

from ..autograd import Function


class Sin(Function):
    """out = sin a;  da = g * cos a."""
    saved_inputs = (0,)

    def forward(self, a):
        return np.sin(a)

    def backward(self, grad, out):
        return (grad * self.inputs[0].cos(),)


class Cos(Function):
    """out = cos a;  da = -g * sin a."""
    saved_inputs = (0,)

    def forward(self, a):
        return np.cos(a)

    def backward(self, grad, out):
        return (-(grad * self.inputs[0].sin()),)


class Log1p(Function):
    """out = ln(1 + a), accurate for tiny a where 1 + a would round to 1;  da = g / (1 + a)."""
    saved_inputs = (0,)

    def forward(self, a):
        return np.log1p(a)

    def backward(self, grad, out):
        return (grad / (self.inputs[0] + 1.0),)
