"""The two Jacobians a gradient check compares, for every gradient of a function: one per
input that requires grad and, for a Module (or a bound method of one), one per parameter.

    analytic:  row k of J = the gradient backward returns for the one-hot seed e_k
    numerical: column l of J ~ (f(x + eps e_l) - f(x - eps e_l)) / (2 eps)   (error O(eps^2))

A "gradient target" is one tensor the check differentiates with respect to, with the name a
report uses: ``input 0`` for the first argument, the parameter's own name (``weight``,
``layers.0.bias``) for a parameter.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np

from .. import autograd
from ..tensor import Tensor


@dataclass
class Target:
    """One tensor to differentiate with respect to: its report name and the tensor itself."""
    name: str
    tensor: Tensor
    is_parameter: bool = False

    @property
    def label(self) -> str:
        """How a report says it: ``input 0`` or ``parameter weight``."""
        return f"parameter {self.name}" if self.is_parameter else self.name


def as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def differentiable_outputs(outputs):
    return [o for o in outputs if isinstance(o, Tensor) and o.dtype.kind == "f"]


def copy_inputs(inputs):
    # The checker perturbs its own copies, never the caller's arrays (C order, as the
    # caller's own would be: a transposed input becomes a plain array).
    return tuple(Tensor(np.array(x.array, order="C"), requires_grad=x.requires_grad)
                 if isinstance(x, Tensor) else x for x in inputs)


def _has_parameters(value) -> bool:
    """A Module instance (or anything with named_parameters); not a Module class."""
    return not isinstance(value, type) and callable(getattr(value, "named_parameters", None))


def named_parameters_of(fn):
    """[(name, parameter)] of every parameter that requires grad that ``fn`` uses: a Module's
    own (``weight``, ``layers.0.bias``), a bound method's module's, or for a plain function
    (a lambda, a closure) those of the Modules and Parameters it names, prefixed by the name
    it uses (``model.weight``; a Parameter named directly keeps that name)."""
    owner = fn if _has_parameters(fn) else getattr(fn, "__self__", None)
    if owner is not None and _has_parameters(owner):
        return [(name, p) for name, p in owner.named_parameters() if p.requires_grad]
    from ..nn.parameter import Parameter  # here: nn is built on gradcheck, not under it
    try:
        captured = inspect.getclosurevars(fn)
    except TypeError:  # a builtin, a functools.partial, a class: nothing to look into
        return []
    found, seen = [], set()
    for variable, value in {**captured.globals, **captured.nonlocals}.items():
        if _has_parameters(value):
            named = [(f"{variable}.{name}", p) for name, p in value.named_parameters()]
        elif isinstance(value, Parameter):
            named = [(variable, value)]
        else:
            continue
        for name, p in named:
            if p.requires_grad and id(p) not in seen:
                seen.add(id(p))
                found.append((name, p))
    return found


def targets_of(inputs, named_parameters):
    """Every gradient the check covers: inputs that require grad, then parameters."""
    targets = [Target(f"input {i}", x) for i, x in enumerate(inputs)
               if isinstance(x, Tensor) and x.requires_grad]
    targets += [Target(name, p, True) for name, p in named_parameters]
    return targets


def analytic_jacobians(outputs, tensors):
    """jacobians[j][i]: (outputs[j].numel, tensors[i].numel), one backward per row."""
    jacobians = []
    for out in outputs:
        rows = [np.zeros((out.numel(), x.numel())) for x in tensors]
        if out.requires_grad:
            for k in range(out.numel()):
                seed = np.zeros(out.shape, dtype=out.dtype)
                seed.flat[k] = 1
                grads = autograd.grad(out, tensors, Tensor(seed), retain_graph=True,
                                      allow_unused=True)
                for i, g in enumerate(grads):
                    if g is not None:
                        rows[i][k] = g.array.ravel()
        jacobians.append(rows)
    return jacobians


def numerical_jacobians(evaluate, tensors, eps):
    """The same matrices by central differences, one column per element of each tensor.
    Each tensor's array is changed in place and restored exactly (a parameter is the
    caller's own object; an input is the checker's copy)."""
    n_out = len(evaluate())
    jacobians = [[None] * len(tensors) for _ in range(n_out)]
    for i, x in enumerate(tensors):
        columns = []
        for l in range(x.numel()):
            # A multi-index, not a flat view: a parameter's array need not be contiguous.
            at = np.unravel_index(l, x.shape)
            original = x.array[at].copy()
            x.array[at] = original + eps
            plus = [o.array.astype(np.float64).ravel() for o in evaluate()]
            x.array[at] = original - eps
            minus = [o.array.astype(np.float64).ravel() for o in evaluate()]
            x.array[at] = original
            columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
        for j in range(n_out):
            jacobians[j][i] = (np.stack([c[j] for c in columns], axis=1) if columns
                               else np.zeros((evaluate()[j].numel(), 0)))
    return jacobians


def numerical_gradient(f, x, eps=1e-6) -> np.ndarray:
    """The central-difference gradient of a scalar function ``f`` at ``x``:

        grad[i] = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

    ``x`` is a NumPy array or a Tensor; ``f`` receives the same kind. For exercises: compare
    it with the gradient your own backward computes.
    """
    as_tensor = isinstance(x, Tensor)
    point = np.array(x.array if as_tensor else x, dtype=np.float64)
    gradient = np.zeros_like(point)

    def value(p):
        result = f(Tensor(p) if as_tensor else p)
        return float(result.item() if isinstance(result, Tensor) else result)

    flat, grad_flat = point.reshape(-1), gradient.reshape(-1)
    with autograd.no_grad():
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + eps
            plus = value(point)
            flat[i] = original - eps
            minus = value(point)
            flat[i] = original
            grad_flat[i] = (plus - minus) / (2 * eps)
    return gradient
