"""``minigrad.nn``: modules, layers, losses and initialisers, with PyTorch's names."""
from . import functional, init, parallel, utils
from .activation import (ELU, GELU, Hardtanh, LeakyReLU, LogSigmoid, LogSoftmax, PReLU, ReLU,
                         Sigmoid, Softmax, Softmax2d, Softplus, Tanh)
from .adaptive_pooling import AdaptiveAvgPool2d, AdaptiveMaxPool2d
from .batchnorm import BatchNorm1d, BatchNorm2d
from .containers import (Flatten, Identity, ModuleDict, ModuleList, ParameterDict, ParameterList,
                         Sequential, Unflatten)
from .conv import Conv2d
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import Dropout, Dropout2d
from .linear import Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss,
                   MSELoss, NLLLoss, SmoothL1Loss)
from .module import Module
from .parameter import Parameter
from .pooling import AvgPool2d, MaxPool2d

__all__ = ["AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "CosineSimilarity", "Dropout2d",
           "Hardtanh", "HuberLoss", "KLDivLoss", "LogSigmoid", "ModuleDict", "PReLU",
           "PairwiseDistance", "ParameterDict", "ParameterList", "Softmax2d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "BatchNorm2d", "Conv2d",
           "CrossEntropyLoss", "Dropout", "ELU", "Flatten", "GELU", "Identity", "L1Loss",
           "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "MaxPool2d", "Module", "ModuleList",
           "NLLLoss", "Parameter", "ReLU", "Sequential", "Sigmoid", "SmoothL1Loss", "Softmax",
           "Softplus", "Tanh", "Unflatten", "functional", "init", "utils"]
