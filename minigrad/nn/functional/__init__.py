"""``minigrad.nn.functional``: layers and losses as plain functions of tensors."""
from .activation import (elu, gelu, leaky_relu, log_softmax, relu, sigmoid, softmax, softplus,
                         tanh)
from .basic import dropout, linear
from .conv import conv2d
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                   l1_loss, mse_loss, nll_loss, smooth_l1_loss)
from .normalization import batch_norm
from .pooling import avg_pool2d, max_pool2d
from .sparse import embedding, one_hot
from ...functional import pad

__all__ = ["avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "conv2d", "cross_entropy", "dropout", "elu", "embedding", "gelu", "l1_loss",
           "leaky_relu", "linear", "log_softmax", "max_pool2d", "mse_loss", "nll_loss", "one_hot",
           "pad", "relu", "sigmoid", "softmax",
           "smooth_l1_loss", "softplus", "tanh"]
