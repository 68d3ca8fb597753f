"""``minigrad.nn``: modules, layers, losses and initialisers, with PyTorch's names."""
from . import functional, init, parallel, utils
from .activation import (ELU, GELU, Hardtanh, LeakyReLU, LogSigmoid, LogSoftmax, Mish, PReLU,
                         ReLU, Sigmoid, SiLU, Softmax, Softmax2d, Softplus, Tanh)
from .activation_variants import (CELU, GLU, SELU, Hardshrink, Hardsigmoid, Hardswish, ReLU6,
                                  Softmin, Softshrink, Softsign, Tanhshrink, Threshold)
from .adaptive_pooling import AdaptiveAvgPool2d, AdaptiveMaxPool2d
from .attention import MultiheadAttention
from .batchnorm import BatchNorm1d, BatchNorm2d
from .containers import (Flatten, Identity, ModuleDict, ModuleList, ParameterDict, ParameterList,
                         Sequential, Unflatten)
from .conv import Conv2d
from .conv_transpose import ConvTranspose2d
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import Dropout, Dropout1d, Dropout2d
from .linear import Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, CrossEntropyLoss,
                   GaussianNLLLoss, HingeEmbeddingLoss, HuberLoss, KLDivLoss, L1Loss,
                   MarginRankingLoss, MSELoss, NLLLoss, PoissonNLLLoss, SmoothL1Loss,
                   TripletMarginLoss)
from .module import Module
from .normalization import GroupNorm, LayerNorm, RMSNorm
from .one_dimensional import AvgPool1d, Conv1d, MaxPool1d
from .padding import (ConstantPad1d, ConstantPad2d, ReflectionPad1d, ReflectionPad2d,
                      ReplicationPad1d, ReplicationPad2d, ZeroPad1d, ZeroPad2d)
from .parameter import Parameter
from .pooling import AvgPool2d, MaxPool2d
from .rnn import GRU, LSTM, RNN, RNNBase
from .rnn_cell import GRUCell, LSTMCell, RNNCell
from .sparse import Embedding
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d

__all__ = ["ConvTranspose2d", "AvgPool1d", "Conv1d", "MaxPool1d", "ConstantPad1d", "ConstantPad2d", "Dropout1d", "ReflectionPad1d", "ReflectionPad2d",
           "ReplicationPad1d", "ReplicationPad2d", "Upsample", "UpsamplingBilinear2d",
           "UpsamplingNearest2d", "ZeroPad1d", "ZeroPad2d", "CosineEmbeddingLoss", "GaussianNLLLoss", "HingeEmbeddingLoss", "MarginRankingLoss",
           "PoissonNLLLoss", "TripletMarginLoss", "CELU", "GLU", "SELU", "Hardshrink", "Hardsigmoid", "Hardswish", "ReLU6", "Softmin",
           "Softshrink", "Softsign", "Tanhshrink", "Threshold", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss",
           "BatchNorm1d", "BatchNorm2d", "Conv2d", "CosineSimilarity", "CrossEntropyLoss",
           "Dropout", "Dropout2d", "ELU", "Embedding", "Flatten", "GELU", "GRU", "GRUCell",
           "GroupNorm", "Hardtanh", "HuberLoss", "Identity", "KLDivLoss", "L1Loss", "LSTM",
           "LSTMCell", "LayerNorm", "LeakyReLU", "Linear", "LogSigmoid", "LogSoftmax", "MSELoss",
           "MaxPool2d", "Mish", "Module", "ModuleDict", "ModuleList", "MultiheadAttention",
           "NLLLoss", "PReLU", "PairwiseDistance", "Parameter", "ParameterDict", "ParameterList",
           "RMSNorm", "RNN", "RNNBase", "RNNCell", "ReLU", "Sequential", "SiLU", "Sigmoid",
           "SmoothL1Loss", "Softmax", "Softmax2d", "Softplus", "Tanh", "Unflatten", "functional",
           "init", "utils"]
