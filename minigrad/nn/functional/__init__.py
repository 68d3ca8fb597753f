"""``minigrad.nn.functional``: layers and losses as plain functions of tensors."""
from .activation import (elu, gelu, hardtanh, leaky_relu, log_softmax, logsigmoid, prelu, relu,
                         sigmoid, softmax, softplus, tanh)
from .adaptive_pooling import adaptive_avg_pool2d, adaptive_max_pool2d
from .basic import dropout, dropout2d, linear
from .conv import conv2d
from .distance import cosine_similarity, normalize, pairwise_distance
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                   huber_loss, kl_div, l1_loss, legacy_reduction, mse_loss, nll_loss,
                   smooth_l1_loss)
from .normalization import batch_norm
from .pooling import avg_pool2d, max_pool2d
from ...functional import pad

__all__ = ["adaptive_avg_pool2d", "adaptive_max_pool2d", "cosine_similarity", "dropout2d",
           "hardtanh", "huber_loss", "kl_div", "logsigmoid", "normalize", "pairwise_distance",
           "prelu", "avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "conv2d", "cross_entropy", "dropout", "elu", "gelu", "l1_loss", "leaky_relu", "linear",
           "log_softmax", "max_pool2d", "mse_loss", "nll_loss", "pad", "relu", "sigmoid", "softmax",
           "smooth_l1_loss", "softplus", "tanh"]
