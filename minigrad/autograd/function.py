"""PyTorch-style custom functions, running on minigrad's one engine.

    class Cube(minigrad.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return grad_output * 3 * x ** 2

    y = Cube.apply(x)

``apply`` runs ``forward`` with graph recording off, then makes the output's ``grad_fn`` a
node of the engine (a subclass of the primitives' ``engine.Function``): that node *is* the
``ctx``, its ``inputs`` are the forward arguments, and its ``backward`` calls yours. The
engine then treats it like any primitive: it accumulates, reduces broadcast gradients,
checks shapes and releases the graph in its one place.

Primitive style (``forward(self, *arrays)`` on NumPy arrays, ``backward(self, grad, out)``, as
minigrad's own ops are written) keeps working for subclasses whose ``forward`` is a plain
method: only a class with a *static* ``forward`` gets the ctx protocol.
"""
from __future__ import annotations

import numpy as np

from ..grad_mode import _grad_mode, no_grad
from ..tensor import Tensor
from . import engine
from .checks import modified_message

# Stands in for a forward argument that is not a tensor, so that ``node.inputs`` lines up with
# the arguments (and with ``needs_input_grad``); it never requires grad, so the engine skips it.
_NOT_A_TENSOR = Tensor._make(np.zeros(()), False, None)


class FunctionCtx(engine.Function):
    """The ``ctx`` of a custom function, and its node in the graph."""

    function: type  # the user's Function subclass, set per subclass

    def save_for_backward(self, *tensors):
        """Keep tensors for backward; their versions are recorded so that an in-place change
        made before backward is refused, as for the primitives."""
        self._saved = tuple(tensors)
        self._saved_versions = tuple(t._version if isinstance(t, Tensor) else None
                                     for t in tensors)

    @property
    def saved_tensors(self) -> tuple:
        saved = getattr(self, "_saved", ())
        for i, (t, version) in enumerate(zip(saved, getattr(self, "_saved_versions", ()))):
            if isinstance(t, Tensor) and t._version != version:
                raise RuntimeError(modified_message(t, f"saved tensor {i} of", self, version))
        return saved

    def mark_non_differentiable(self, *tensors):
        pass  # outputs are differentiable only through backward, which the user controls

    def set_materialize_grads(self, value: bool):
        pass  # the engine always passes a gradient tensor, never None

    def backward(self, grad, output):
        grads = type(self).function.backward(self, grad)
        grads = grads if isinstance(grads, tuple) else (grads,)
        # Trailing Nones beyond the inputs are allowed, as in PyTorch.
        while len(grads) > len(self.inputs) and grads[-1] is None:
            grads = grads[:-1]
        if len(grads) != len(self.inputs):
            raise RuntimeError(f"function {self.name} returned an incorrect number of gradients "
                               f"(expected {len(self.inputs)}, got {len(grads)})")
        for i, g in enumerate(grads):
            if g is not None and not isinstance(g, Tensor):
                raise TypeError(f"function {self.name} returned a gradient of type "
                                f"{type(g).__name__} for input {i}; expected a Tensor or None")
        return grads


class Function(engine.Function):
    """Base of differentiable functions: PyTorch style (static ``forward(ctx, ...)`` and
    ``backward(ctx, grad_output)``, called through ``apply``) or minigrad's primitive style."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if isinstance(_own_attribute(cls, "forward"), staticmethod):
            # The node type is named after the function, so its grad_fn prints as
            # <CubeBackward>, as in PyTorch.
            cls._node = type(cls.__name__, (FunctionCtx,), {"function": cls})
            cls.apply = classmethod(_apply_with_ctx)


def _own_attribute(cls, name):
    """``name`` as defined in the class body nearest ``cls`` (a staticmethod stays one)."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _apply_with_ctx(cls, *args, **kwargs):
    ctx = cls._node()
    ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
    with no_grad():
        output = cls.forward(ctx, *args, **kwargs)
    if not (_grad_mode.enabled and any(ctx.needs_input_grad)):
        return output
    if isinstance(output, (tuple, list)):
        raise RuntimeError(f"{cls.__name__}.forward returned {len(output)} outputs: custom "
                           "functions with several outputs are not supported by minigrad")
    if not isinstance(output, Tensor):
        raise TypeError(f"{cls.__name__}.forward must return a Tensor; got "
                        f"{type(output).__name__}")
    if output.dtype.kind != "f":
        return output  # integer and bool results carry no gradient, as in PyTorch
    ctx.inputs = tuple(a if isinstance(a, Tensor) else _NOT_A_TENSOR for a in args)
    ctx._versions = tuple([t._version for t in ctx.inputs])
    if output.grad_fn is not None or output.requires_grad or any(output is a for a in args):
        # forward returned an existing graph tensor (e.g. its input): give the node its own
        output = Tensor._make(output.array, True, ctx)
    else:
        # adopt the fresh tensor, so a saved output is the very tensor the user holds
        output._requires_grad, output.grad_fn = True, ctx
    return output
