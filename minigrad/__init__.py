"""minigrad: reverse-mode automatic differentiation on NumPy, with PyTorch's API.

Reading order: tensor -> autograd -> ops -> functional -> gradcheck -> nn -> optim -> data
-> train -> cli (see the README).
"""
import numpy as np

from .tensor import Tensor  # first: the other modules build on it
from .tensor.shape import Size  # noqa: E402
from . import autograd, functional, ops, nn, optim, data  # noqa: E402  (in reading order)
from .autograd import enable_grad, grad, is_grad_enabled, no_grad, set_grad_enabled
from .grad_mode import inference_mode, is_anomaly_check_nan_enabled, is_anomaly_enabled
from .creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                       linspace, logspace, ones, ones_like, rand, rand_like, randint,
                       randint_like, randn, randn_like, randperm, tensor, zeros, zeros_like)
from .device import (accelerator, backends, cuda, device, get_default_device,
                     set_default_device)
from .dtypes import get_default_dtype, set_default_dtype
from .functional import cat, logsumexp, maximum, minimum, pad, softmax, log_softmax, stack, where
from .functional import bernoulli, einsum, multinomial, normal  # noqa: E402
from .gradcheck import (GradcheckError, gradcheck, gradgradcheck, jacobian_error,
                        numerical_gradient)
from .random import Generator, default_generator, get_rng_state, manual_seed, set_rng_state
from .serialization import CheckpointError, load, save
from .tensor_functions import (abs, add, addmm, all, allclose, amax, amin, any, argmax, argmin,
                               argsort, argwhere, baddbmm, bincount, bmm, broadcast_to, bucketize,
                               cdist, ceil, chunk, clamp, clamp_max, clamp_min, clip, clone, cos,
                               cosh, cumprod, cumsum, det, detach, diag, diff, div, dot, eq, equal,
                               erf, exp, expm1, finfo, flatten, flip, floor, fmod, gather, ge, gt,
                               histc, hstack, iinfo, index_select, inner, inverse,
                               is_floating_point, is_tensor, isclose, isfinite, isinf, isnan, le,
                               lerp, log, log10, log1p, log2, logaddexp, logical_and, logical_not,
                               logical_or, lt, masked_fill, masked_select, matmul, max, mean,
                               median, meshgrid, min, mm, moveaxis, movedim, mul, mv, nan_to_num,
                               nanmean, narrow, ne, neg, nonzero, norm, numel, outer, permute, pow,
                               prod, quantile, reciprocal, relu, remainder, repeat_interleave,
                               reshape, roll, round, rsqrt, scatter, scatter_add, searchsorted,
                               sigmoid, sign, sin, sinh, sort, split, sqrt, square, squeeze, std,
                               std_mean, sub, sum, swapaxes, swapdims, t, take_along_dim, tanh,
                               tensordot, tile, topk, transpose, tril, triu, trunc, unbind, unique,
                               unsqueeze, var, var_mean, vstack)
from . import linalg  # noqa: E402  (torch.linalg)
from .legacy_types import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor,
                           HalfTensor, IntTensor, LongTensor, ShortTensor)
from .settings import (are_deterministic_algorithms_enabled, set_printoptions,
                       use_deterministic_algorithms)
from . import distributed, utils, viz  # noqa: E402  (torch.distributed, torch.utils.data, graphs)
from .static.compiled import compile  # noqa: A001  (static graphs: trace once, replay)
from .parallel_kernels import get_num_threads, set_num_threads  # threads for non-GEMM passes

# PyTorch's dtype names (minigrad.float is float32, minigrad.long is int64, ...).
float16 = half = np.float16
float32 = float = np.float32
float64 = double = np.float64
int8, int16, uint8 = np.int8, np.int16, np.uint8
int32 = int = np.int32
int64 = long = np.int64
bool = bool_ = np.bool_

__version__ = "0.1.0"
