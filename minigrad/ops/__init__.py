"""The primitives: the only operations that know their own derivative.

Everything else in minigrad (softmax, variance, losses, layers) is a composition of these,
so its gradient comes from the chain rule alone.
"""
from .elementwise import (Abs, Add, AsType, Clamp, Clone, Div, Exp, Log, Maximum, Minimum, Mul,
                          Neg, Pow, ReLU, Sigmoid, Sqrt, Sub, Tanh, Where)
from .indexing import GetItem, IndexAdd, normalize_index
from .linalg import MatMul
from .reduction import Amax, Amin, BroadcastTo, Sum, SumTo
from .shape import Cat, Pad, Permute, Reshape

__all__ = ["Abs", "Add", "Amax", "Amin", "AsType", "BroadcastTo", "Cat", "Clamp", "Clone", "Div",
           "Exp", "GetItem", "IndexAdd", "Log", "MatMul", "Maximum", "Minimum", "Mul", "Neg",
           "Pad", "Permute", "Pow", "ReLU", "Reshape", "Sigmoid", "Sqrt", "Sub", "Sum", "SumTo",
           "Tanh", "Where", "normalize_index"]
