"""``Tensor``: a NumPy array plus the op that made it.

``Tensor.array`` is the NumPy array (``.data`` is PyTorch's: a detached tensor sharing it), ``Tensor.grad`` a Tensor (or None), ``Tensor.grad_fn`` the
``Function`` that produced it (None for leaves). The class is assembled from one module per
concept, each under a screen or two:

    core.py        the class itself: data, grad, requires_grad, shape, repr, backward, hooks
    arithmetic.py  operators (+ - * / ** @, comparisons) and their named methods
    pointwise.py   elementwise math (exp, log, sin, tanh, relu, clamp, ...)
    reductions.py  sum, mean, var, max, argmax, norm, softmax, ...
    shape.py       reshape, view, permute, transpose, squeeze, indexing, ...
    conversion.py  dtype and device conversion, detach, clone, numpy
    inplace.py     add_, mul_, zero_, copy_, x[i] = v, and the augmented operators
    sampling.py    normal_, uniform_, bernoulli_, bernoulli, multinomial (generator=)
    aliases.py     methods that are only another name (mm for matmul, ...)

Every differentiable method is a one-line wrapper around a primitive in ``minigrad.ops`` or a
composite in ``minigrad.functional``; the math lives there.

dtypes follow PyTorch: Python floats become float32; NumPy arrays keep their dtype; a Python
scalar never changes a float tensor's dtype (float32 * 2.5 stays float32), and an integer
tensor combined with a Python float becomes float32.
"""
from .core import DEFAULT_FLOAT, Tensor, _shape_args, _to_array  # noqa: F401
from .arithmetic import _operands

# The method modules call into ops and functional, and those build on Tensor; so they can only
# be imported now that the class exists, and are handed to the method modules here.
from .. import autograd, ops  # noqa: E402
from .. import functional as F  # noqa: E402
from . import (arithmetic, conversion, core, inplace, pointwise, reductions, sampling,  # noqa: E402
               shape)

for _module in (arithmetic, conversion, core, inplace, pointwise, reductions, sampling, shape):
    _module.Tensor, _module.autograd, _module.ops, _module.F = Tensor, autograd, ops, F
del _module

__all__ = ["DEFAULT_FLOAT", "Tensor"]
