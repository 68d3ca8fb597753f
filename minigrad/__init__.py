"""minigrad: reverse-mode automatic differentiation on NumPy, with PyTorch's API.

Reading order: tensor -> autograd -> ops -> functional -> gradcheck -> nn -> optim -> data
-> train -> cli (see the README).
"""
import numpy as np

from .tensor import Tensor  # first: the other modules build on it
from . import autograd, functional, ops, nn, optim, data  # noqa: E402  (in reading order)
from .autograd import enable_grad, grad, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (arange, eye, full, ones, ones_like, rand, randint, randn, tensor, zeros,
                       zeros_like)
from .functional import (cat, exp, log, logsumexp, matmul, maximum, minimum, pad, relu, sigmoid,
                         softmax, log_softmax, sqrt, stack, tanh, where)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck, numerical_gradient
from .random import get_rng_state, manual_seed, set_rng_state
from .serialization import CheckpointError, load, save
from .static.compiled import compile  # noqa: A001  (static graphs: trace once, replay)

float16, float32, float64 = np.float16, np.float32, np.float64
int32, int64, bool_ = np.int32, np.int64, np.bool_

__version__ = "0.1.0"
