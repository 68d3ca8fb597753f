"""Batch normalisation layers (Ioffe & Szegedy, 2015)."""
import numpy as np

from ._factory import parameter_dtype
from . import functional as F
from .module import Module
from .parameter import Parameter
from ..tensor import Tensor


class _BatchNorm(Module):
    """y = (x - E[x]) / sqrt(Var[x] + eps) * gamma + beta per channel; see
    ``functional.batch_norm`` for the statistics and running-average conventions."""
    expected_ndims: tuple = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum=0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, bias: bool = True):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = Parameter(np.ones(num_features, dtype=dtype)) if affine else None
        # bias=False (keyword only, as PyTorch 2.13): a learnt scale without a shift.
        self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype=dtype)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dtype=dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.zeros((), dtype=np.int64)))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def forward(self, x):
        if x.ndim not in self.expected_ndims or x.shape[1] != self.num_features:
            dims = " or ".join(f"{n}-D" for n in self.expected_ndims)
            raise ValueError(f"{type(self).__name__}({self.num_features}) expects {dims} input "
                             f"with {self.num_features} channels in dimension 1; got shape {x.shape}")
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            training=self.training or not self.track_running_stats,
                            momentum=self.momentum, eps=self.eps,
                            num_batches_tracked=self.num_batches_tracked)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch norm over (N, C) or (N, C, L) input."""
    expected_ndims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm over (N, C, H, W) input."""
    expected_ndims = (4,)
