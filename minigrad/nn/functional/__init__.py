"""``minigrad.nn.functional``: layers and losses as plain functions of tensors."""
from .activation import (elu, gelu, hardtanh, leaky_relu, log_softmax, logsigmoid, mish, prelu,
                         relu, sigmoid, silu, softmax, softplus, tanh)
from .activation_variants import (celu, glu, hardshrink, hardsigmoid, hardswish, relu6, selu,
                                  softmin, softshrink, softsign, tanhshrink, threshold)
from .adaptive_pooling import adaptive_avg_pool2d, adaptive_max_pool2d
from .attention import scaled_dot_product_attention
from .basic import dropout, dropout1d, dropout2d, linear
from .conv import conv2d
from .conv_transpose import conv_transpose2d
from .embedding_losses import (cosine_embedding_loss, hinge_embedding_loss, margin_ranking_loss,
                               triplet_margin_loss)
from .likelihood_losses import gaussian_nll_loss, poisson_nll_loss
from .interpolation import interpolate, upsample
from .one_dimensional import avg_pool1d, conv1d, max_pool1d
from .distance import cosine_similarity, normalize, pairwise_distance
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                   huber_loss, kl_div, l1_loss, legacy_reduction, mse_loss, nll_loss,
                   smooth_l1_loss)
from .normalization import batch_norm, group_norm, layer_norm, rms_norm
from .pooling import avg_pool2d, max_pool2d
from .sparse import embedding, one_hot
from ...functional import pad

__all__ = ["conv_transpose2d", "avg_pool1d", "conv1d", "max_pool1d", "dropout1d", "interpolate", "upsample", "cosine_embedding_loss", "gaussian_nll_loss", "hinge_embedding_loss",
           "margin_ranking_loss", "poisson_nll_loss", "triplet_margin_loss", "celu", "glu", "hardshrink", "hardsigmoid", "hardswish", "relu6", "selu", "softmin",
           "softshrink", "softsign", "tanhshrink", "threshold", "adaptive_avg_pool2d", "adaptive_max_pool2d", "avg_pool2d", "batch_norm",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "conv2d",
           "cosine_similarity", "cross_entropy", "dropout", "dropout2d", "elu", "embedding",
           "gelu", "group_norm", "hardtanh", "huber_loss", "kl_div", "l1_loss", "layer_norm",
           "leaky_relu", "linear", "log_softmax", "logsigmoid", "max_pool2d", "mish", "mse_loss",
           "nll_loss", "normalize", "one_hot", "pad", "pairwise_distance", "prelu", "relu",
           "rms_norm", "scaled_dot_product_attention", "sigmoid", "silu", "smooth_l1_loss",
           "softmax", "softplus", "tanh"]
