"""``minigrad.nn.functional``: layers and losses as plain functions of tensors."""
from .activation import (elu, gelu, leaky_relu, log_softmax, mish, relu, sigmoid, silu, softmax,
                         softplus, tanh)
from .attention import scaled_dot_product_attention
from .basic import dropout, linear
from .conv import conv2d
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                   l1_loss, mse_loss, nll_loss, smooth_l1_loss)
from .normalization import batch_norm, group_norm, layer_norm, rms_norm
from .pooling import avg_pool2d, max_pool2d
from .sparse import embedding, one_hot
from ...functional import pad

__all__ = ["avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "conv2d", "cross_entropy", "dropout", "elu", "embedding", "gelu", "group_norm",
           "l1_loss", "layer_norm", "leaky_relu", "linear", "log_softmax", "max_pool2d", "mish",
           "mse_loss", "nll_loss", "one_hot", "pad", "relu", "rms_norm",
           "scaled_dot_product_attention", "sigmoid", "silu", "smooth_l1_loss", "softmax",
           "softplus", "tanh"]
