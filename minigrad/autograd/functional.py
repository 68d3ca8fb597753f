"""``minigrad.autograd.functional``: derivatives of a whole function, PyTorch's API.

For f: inputs -> outputs, with J its Jacobian and H the Hessian of a scalar f,

    vjp(f, x, v) = v^T J        one backward pass
    jvp(f, x, v) = J v          two backward passes (the double-backward trick below)
    jacobian(f, x) = J          one backward pass per output element (reverse mode)
    hessian(f, x) = H           the Jacobian of the gradient: one backward per input element
    vhp(f, x, v) = v^T H        two backward passes (Pearlmutter's R-operator by double backward)
    hvp(f, x, v) = H v          computed as vhp: H is symmetric wherever f is twice continuously
                                differentiable

``inputs`` is a Tensor or a tuple of Tensors and results mirror it, as in
``torch.autograd.functional``: results are detached unless ``create_graph=True``; an output
that does not depend on an input gives zeros (``strict=False``) or an error (``strict=True``).

The graph-level helpers at the end (``graph_vjp``, ``graph_jvp``, ``graph_hvp``) work on a
graph that is already built, so that an optimizer can evaluate its closure once and then take
many products with the same Jacobian or Hessian.
"""
from __future__ import annotations

import numpy as np

from ..grad_mode import enable_grad
from ..tensor import Tensor
from . import engine


# ---------------------------------------------------------------- argument handling
def _as_tuple(value, what: str, caller: str):
    """(tuple of Tensors, whether the caller passed a tuple)."""
    is_tuple = isinstance(value, (tuple, list))
    items = tuple(value) if is_tuple else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            raise TypeError(f"The {what} given to {caller} must be either a Tensor or a tuple of "
                            f"Tensors but the value at index {i} has type {type(item).__name__}")
    return items, is_tuple


def _prepare_inputs(inputs, create_graph: bool):
    # Fresh leaves that require grad, so that f's graph starts at them; under create_graph an
    # input that already requires grad stays connected to the caller's graph.
    for i, x in enumerate(inputs):
        if x.dtype.kind != "f":
            raise TypeError(f"input {i} has dtype {x.dtype}: only floating-point inputs can be "
                            "differentiated")
    return tuple(x.reshape(x.shape) if create_graph and x.requires_grad
                 else Tensor._make(x.array, True, None) for x in inputs)


def _check_v(v, like, caller: str, what: str):
    if v is None:
        if len(like) == 1 and like[0].numel() == 1:
            return (Tensor._make(np.ones(like[0].shape, like[0].dtype), False, None),)
        raise RuntimeError(f"The vector v can only be None if the {what} of the user-provided "
                           f"function to {caller} is a single Tensor with a single element")
    vs, _ = _as_tuple(v, "v", caller)
    if len(vs) != len(like):
        raise RuntimeError(f"v has {len(vs)} tensors but the {what} of the user-provided "
                           f"function to {caller} has {len(like)}")
    for i, (vi, ref) in enumerate(zip(vs, like)):
        if vi.shape != ref.shape:
            raise RuntimeError(f"Mismatch in shape: v[{i}] has shape {vi.shape} but the {what} "
                               f"{i} of the user-provided function has shape {ref.shape}")
    return vs


def _call(func, inputs, caller: str):
    with enable_grad():
        outputs = func(*inputs)
    return _as_tuple(outputs, "outputs of the user-provided function", caller)


def _grad(outputs, inputs, grad_outputs, create_graph: bool, retain_graph: bool = True):
    """``autograd.grad`` that tolerates outputs with no graph and unused inputs (None)."""
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    wanted = [i for i, x in enumerate(inputs) if x.requires_grad]
    result = [None] * len(inputs)
    if pairs and wanted:
        grads = engine.grad([o for o, _ in pairs], [inputs[i] for i in wanted],
                            [g for _, g in pairs], retain_graph=retain_graph,
                            create_graph=create_graph, allow_unused=True)
        for i, g in zip(wanted, grads):
            result[i] = g
    return result


def _finish(grads, like, strict: bool, create_graph: bool, caller: str):
    """Zeros for unused inputs (or strict's error), detached unless create_graph."""
    out = []
    for i, (g, ref) in enumerate(zip(grads, like)):
        if g is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function given to {caller} "
                                   f"is independent of input {i}. This is not allowed in "
                                   "strict mode.")
            g = Tensor._make(np.zeros(ref.shape, ref.dtype), False, None)
        out.append(g if create_graph else g.detach())
    return tuple(out)


def _detach(values, create_graph):
    return tuple(v if create_graph else v.detach() for v in values)


def _shape_like(values, is_tuple):
    return tuple(values) if is_tuple else values[0]


# ---------------------------------------------------------------- PyTorch's functions
def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the vector-Jacobian product, one backward pass."""
    inputs, inputs_tuple = _as_tuple(inputs, "inputs", "vjp")
    inputs = _prepare_inputs(inputs, create_graph)
    outputs, outputs_tuple = _call(func, inputs, "vjp")
    vs = _check_v(v, outputs, "vjp", "output")
    grads = _grad(outputs, inputs, vs, create_graph)
    result = _finish(grads, inputs, strict, create_graph, "vjp")
    return (_shape_like(_detach(outputs, create_graph), outputs_tuple),
            _shape_like(result, inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v): the Jacobian-vector product by the double-backward trick."""
    inputs, inputs_tuple = _as_tuple(inputs, "inputs", "jvp")
    vs = _check_v(v, inputs, "jvp", "input")
    inputs = _prepare_inputs(inputs, create_graph)
    outputs, outputs_tuple = _call(func, inputs, "jvp")
    products = graph_jvp(outputs, inputs, create_graph=create_graph)(vs)
    if strict and any(p is None for p in products):
        raise RuntimeError("The output of the user-provided function given to jvp is "
                           "independent of its input. This is not allowed in strict mode.")
    result = _finish(products, outputs, False, create_graph, "jvp")
    return (_shape_like(_detach(outputs, create_graph), outputs_tuple),
            _shape_like(result, outputs_tuple))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """J[i][j] = d outputs[i] / d inputs[j], each of shape outputs[i].shape + inputs[j].shape,
    one backward pass per output element. ``vectorize`` is accepted and changes nothing (the
    rows are always computed one by one); only ``strategy='reverse-mode'`` is available."""
    if strategy != "reverse-mode":
        raise NotImplementedError(f"minigrad computes Jacobians in reverse mode only; got "
                                  f"strategy={strategy!r}")
    inputs, inputs_tuple = _as_tuple(inputs, "inputs", "jacobian")
    inputs = _prepare_inputs(inputs, create_graph)
    outputs, outputs_tuple = _call(func, inputs, "jacobian")
    blocks = [_jacobian_rows(out, inputs, strict, create_graph) for out in outputs]
    if not inputs_tuple:
        blocks = [row[0] for row in blocks]
    else:
        blocks = [tuple(row) for row in blocks]
    return tuple(blocks) if outputs_tuple else blocks[0]


def _jacobian_rows(output, inputs, strict, create_graph):
    """[d output / d input_j for each j], by one backward per element of ``output``."""
    rows = [[] for _ in inputs]
    for k in range(output.numel()):
        seed = np.zeros(output.numel(), output.dtype)
        seed[k] = 1
        grads = _grad([output], inputs, [Tensor._make(seed.reshape(output.shape), False, None)],
                      create_graph)
        for j, g in enumerate(_finish(grads, inputs, strict, create_graph, "jacobian")):
            rows[j].append(g.reshape(1, -1))
    blocks = []
    for j, x in enumerate(inputs):
        if not rows[j]:  # an output with no elements
            blocks.append(Tensor._make(np.zeros(output.shape + x.shape, x.dtype), False, None))
            continue
        stacked = rows[j][0] if len(rows[j]) == 1 else _cat_rows(rows[j])
        blocks.append(stacked.reshape(output.shape + x.shape))
    return blocks


def _cat_rows(rows):
    from ..functional import cat  # not at the top: minigrad.tensor imports autograd first
    return cat(rows, 0)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """H[i][j] = d^2 f / d inputs[i] d inputs[j] of a scalar f, the Jacobian of its gradient."""
    inputs_given, inputs_tuple = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*xs):
        outputs, _ = _call(func, xs, "hessian")
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor "
                               "with a single element")
        grads = _grad(outputs, xs, [Tensor._make(np.ones(outputs[0].shape, outputs[0].dtype),
                                                 False, None)], True)
        grads = _finish(grads, xs, strict, True, "hessian")
        return grads if inputs_tuple else grads[0]

    return jacobian(gradient, inputs_given if inputs_tuple else inputs_given[0],
                    create_graph=create_graph, strict=strict, vectorize=vectorize,
                    strategy=outer_jacobian_strategy)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H) of a scalar func: two backward passes, H never formed."""
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) of a scalar func; equal to vhp's v^T H because H is symmetric."""
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(func, inputs, v, create_graph, strict, caller):
    inputs, inputs_tuple = _as_tuple(inputs, "inputs", caller)
    vs = _check_v(v, inputs, caller, "input")
    inputs = _prepare_inputs(inputs, create_graph)
    outputs, outputs_tuple = _call(func, inputs, caller)
    if len(outputs) != 1 or outputs[0].numel() != 1:
        raise RuntimeError(f"The function given to {caller} should return a single Tensor with a "
                           "single element")
    _, product = graph_hvp(outputs[0], inputs, create_graph=create_graph)
    products = product(vs)
    result = _finish(products, inputs, strict, create_graph, caller)
    return (_shape_like(_detach(outputs, create_graph), outputs_tuple),
            _shape_like(result, inputs_tuple))


# ---------------------------------------------------------------- products on a built graph
def graph_vjp(outputs, inputs, vs, create_graph=False):
    """[v^T J with respect to each input] (None where unused); the graph is kept."""
    return _grad(list(outputs), list(inputs), list(vs), create_graph)


def graph_jvp(outputs, inputs, create_graph=False):
    """A function vs -> [J v for each output] (None where J is structurally zero).

    The double-backward trick: with a dummy u, g(u) = J^T u is linear in u, so
    d(g . v)/du = J v. Building g costs one backward pass (once), each product one more.
    """
    outputs = list(outputs)
    dummies = [Tensor._make(np.zeros(o.shape, o.dtype), True, None) for o in outputs]
    with enable_grad():
        transposed = _grad(outputs, list(inputs), dummies, create_graph=True)
    linked = [(g, i) for i, g in enumerate(transposed) if g is not None and g.requires_grad]

    def product(vs):
        if not linked:
            return [None] * len(outputs)
        return _grad([g for g, _ in linked], dummies, [vs[i] for _, i in linked], create_graph)

    return product


def graph_hvp(output, inputs, create_graph=False):
    """(gradients, a function vs -> [H v, one per input]) for the scalar ``output``; None
    stands for an unused input or a zero block of H. The gradient is built once with its own
    graph (one backward pass), then each product is one backward pass through it."""
    inputs = list(inputs)
    seed = Tensor._make(np.ones(output.shape, output.dtype), False, None)
    with enable_grad():
        grads = _grad([output], inputs, [seed], create_graph=True)
    linked = [(g, i) for i, g in enumerate(grads) if g is not None and g.requires_grad]

    def product(vs):
        if not linked:
            return [None] * len(inputs)
        return _grad([g for g, _ in linked], inputs, [vs[i] for _, i in linked], create_graph)

    return grads, product
