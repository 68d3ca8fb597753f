"""The primitives: the only operations that know their own derivative.

Everything else in minigrad (softmax, variance, losses, layers) is a composition of these,
so its gradient comes from the chain rule alone.
"""
from .elementwise import (Abs, Add, AsType, Clamp, Clone, Div, Exp, Log, Maximum, Minimum, Mul,
                          Neg, Pow, ReLU, Sigmoid, Sqrt, Sub, Tanh, Where)
from .convolution import Conv2d, Conv2dInput, Conv2dWeight
from .cumulative import CumProd, CumSum
from .embedding import Embedding, EmbeddingScatter
from .indexing import Copy, GetItem, IndexAdd, SetItem, normalize_index
from .linalg import Linear, MatMul
from .loss import BinaryCrossEntropy, CrossEntropy
from .pooling import MaxPool2dBlocks, SpreadToBlocks
from .reduction import Amax, Amin, BroadcastTo, Sum, SumTo
from .scatter import Scatter, ScatterAdd, scatter_positions
from .shape import Cat, Pad, Permute, Reshape
from .special import Erf, Gelu, Softplus
from .transcendental import Cos, Log1p, Sin

__all__ = ["Abs", "Add", "BinaryCrossEntropy", "Amax", "Amin", "AsType", "BroadcastTo", "Cat", "Clamp", "Clone", "Conv2d", "Conv2dInput", "Copy", "Conv2dWeight", "Cos", "CrossEntropy", "CumProd", "CumSum", "Div",
           "Embedding", "EmbeddingScatter", "Erf", "Gelu",
           "Exp", "GetItem", "IndexAdd", "Linear", "Log", "Log1p", "MatMul", "MaxPool2dBlocks", "Maximum", "Minimum", "Mul", "Neg",
           "Pad", "Permute", "Pow", "ReLU", "Reshape", "Scatter", "ScatterAdd", "SetItem", "Sigmoid", "Sin", "Softplus", "Sqrt", "Sub", "Sum", "SpreadToBlocks", "SumTo",
           "Tanh", "Where", "normalize_index", "scatter_positions"]
