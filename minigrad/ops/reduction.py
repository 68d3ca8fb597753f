"""Reductions and the broadcast pair. "The gradient of a broadcast is a sum" and "the
gradient of a sum is a broadcast" live here and nowhere else."""
import numpy as np

from ..autograd import Function
from ..static.hooks import kernel
from ._common import constant, keepdim_shape, normalize_dims


class Sum(Function):
    """out = sum of a over ``dim``;  da = g broadcast back over the summed axes."""

    def forward(self, a, dim=None, keepdim=False):
        self.input_shape = a.shape
        self.axes = normalize_dims(dim, a.ndim)
        self.keepdim = keepdim
        return np.sum(a, axis=self.axes, keepdims=keepdim)

    def backward(self, grad, out):
        if not self.keepdim:
            grad = grad.reshape(keepdim_shape(self.input_shape, self.axes))
        return (grad.broadcast_to(self.input_shape),)


class BroadcastTo(Function):
    """out = a repeated along broadcast axes to ``shape``;  da = g summed back to a's shape."""

    def forward(self, a, shape):
        self.input_shape = a.shape
        return np.broadcast_to(a, shape)

    def backward(self, grad, out):
        return (grad.sum_to_shape(self.input_shape),)


class SumTo(Function):
    """out = a summed down to ``shape`` (the reverse of broadcasting);  da = g broadcast."""

    def forward(self, a, shape):
        self.input_shape = a.shape
        leading = a.ndim - len(shape)
        axes = tuple(range(leading)) + tuple(
            leading + i for i, n in enumerate(shape) if n == 1 and a.shape[leading + i] != 1)
        return np.sum(a, axis=axes, keepdims=True).reshape(shape) if axes else a.reshape(shape)

    def backward(self, grad, out):
        return (grad.broadcast_to(self.input_shape),)


class Amax(Function):
    """out = max of a over ``dim``;  da = g / k on each of the k elements equal to the max
    (ties split the gradient evenly, as PyTorch's amax/amin and full max/min do)."""
    saved_inputs = (0,)
    saves_output = True
    _reduce = staticmethod(np.max)

    def forward(self, a, dim=None, keepdim=False):
        self.axes = normalize_dims(dim, a.ndim)
        self.keepdim = keepdim
        return self._reduce(a, axis=self.axes, keepdims=keepdim)

    def backward(self, grad, out):
        shape = keepdim_shape(self.inputs[0].shape, self.axes)
        share = kernel(_extreme_share, self.inputs[0].array, out.array, self.axes, grad.dtype)
        return (grad.reshape(shape) * constant(share),)


def _extreme_share(a, out, axes, dtype):
    """1/k on each of the k elements of a equal to its reduction's extreme, else 0."""
    is_extreme = a == out.reshape(keepdim_shape(a.shape, axes))
    share = is_extreme / np.sum(is_extreme, axis=axes, keepdims=True)
    return share.astype(dtype, copy=False)


class Amin(Amax):
    """out = min of a over ``dim``;  ties split the gradient evenly."""
    _reduce = staticmethod(np.min)
