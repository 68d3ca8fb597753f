"""Numerical gradient checking: compare what backward says with what finite differences say.

For a function f with inputs x_1..x_n and outputs y_1..y_m, backward computes the vector-
Jacobian product g^T J. Choosing g = e_k (a one-hot vector) gives row k of the Jacobian
J = dy/dx. Central differences estimate column l directly:

    J[:, l] ~ (f(x + eps e_l) - f(x - eps e_l)) / (2 eps)      (error O(eps^2))

An element passes when |analytic - numerical| <= atol + rtol * |numerical| (PyTorch's rule).
Run it in float64: in float32 the rounding error of f (~1e-7 * |f|) divided by eps swamps
the estimate.
"""
from __future__ import annotations

import warnings

import numpy as np

from . import autograd
from .random import get_rng_state, set_rng_state
from .tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised by gradcheck when the analytic and numerical gradients disagree."""


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _differentiable_outputs(outputs):
    return [o for o in outputs if isinstance(o, Tensor) and o.dtype.kind == "f"]


def _copy_inputs(inputs):
    # The checker perturbs its own copies, never the caller's arrays; C order, so that the
    # flat view the numerical Jacobian perturbs is a view (a transposed input's would copy).
    return tuple(Tensor(np.array(x.array, order="C"), requires_grad=x.requires_grad)
                 if isinstance(x, Tensor) else x for x in inputs)


def _analytic_jacobians(outputs, diff_inputs):
    """jacobians[j][i]: (outputs[j].numel, diff_inputs[i].numel), one backward per row."""
    jacobians = []
    for out in outputs:
        rows = [np.zeros((out.numel(), x.numel())) for x in diff_inputs]
        if out.requires_grad:
            for k in range(out.numel()):
                seed = np.zeros(out.shape, dtype=out.dtype)
                seed.flat[k] = 1
                grads = autograd.grad(out, diff_inputs, Tensor(seed), retain_graph=True,
                                      allow_unused=True)
                for i, g in enumerate(grads):
                    if g is not None:
                        rows[i][k] = g.array.ravel()
        jacobians.append(rows)
    return jacobians


def _numerical_jacobians(evaluate, diff_inputs, eps):
    """The same matrices by central differences, one column per input element."""
    n_out = len(evaluate())
    jacobians = [[None] * len(diff_inputs) for _ in range(n_out)]
    for i, x in enumerate(diff_inputs):
        flat = x.array.reshape(-1)  # a view: x.array is our own contiguous copy
        columns = []
        for l in range(flat.size):
            original = flat[l]
            flat[l] = original + eps
            plus = [o.array.astype(np.float64).ravel() for o in evaluate()]
            flat[l] = original - eps
            minus = [o.array.astype(np.float64).ravel() for o in evaluate()]
            flat[l] = original
            columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
        for j in range(n_out):
            jacobians[j][i] = (np.stack([c[j] for c in columns], axis=1) if columns
                               else np.zeros((evaluate()[j].numel(), 0)))
    return jacobians


def _describe_failure(analytic, numerical, atol, rtol, input_index, output_index,
                      input_shape, output_shape):
    excess = np.abs(analytic - numerical) - (atol + rtol * np.abs(numerical))
    worst = np.unravel_index(np.argmax(excess), excess.shape)
    a, n = analytic[worst], numerical[worst]
    relative = abs(a - n) / max(abs(n), 1e-300)
    out_at = tuple(int(v) for v in np.unravel_index(worst[0], output_shape))
    in_at = tuple(int(v) for v in np.unravel_index(worst[1], input_shape))
    return (f"Jacobian mismatch for output {output_index} with respect to input {input_index}: "
            f"{int((excess > 0).sum())} of {excess.size} elements differ. Worst: "
            f"d output{list(out_at)} / d input{list(in_at)}: analytic {a:.10g}, "
            f"numerical {n:.10g}, relative error {relative:.3g} "
            f"(allowed: atol={atol} + rtol={rtol} * |numerical|)")


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              fast_mode=False) -> bool:
    """Check ``fn``'s backward against central differences for every input that requires
    grad. Returns True, or raises ``GradcheckError`` naming the input, the output, the worst
    element, both values and the relative error (returns False with raise_exception=False).

    ``fast_mode`` compares one random projection v^T J u per input/output pair instead of
    the full Jacobian: one backward and two evaluations instead of one per element.
    The framework's random state is the same before and after, and ``fn`` sees the same
    random stream in every evaluation (so dropout masks do not change between them).
    """
    inputs = _copy_inputs(_as_tuple(inputs))
    diff_positions = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not diff_positions:
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    for i in diff_positions:
        if inputs[i].dtype != np.float64:
            warnings.warn(f"gradcheck: input {i} has dtype {inputs[i].dtype}, not float64; "
                          "finite differences in low precision are unreliable", stacklevel=2)
    diff_inputs = [inputs[i] for i in diff_positions]
    rng_state = get_rng_state()

    def evaluate():
        set_rng_state(rng_state)
        return _differentiable_outputs(_as_tuple(fn(*inputs)))

    try:
        if fast_mode:
            failure = _fast_check(evaluate, diff_inputs, diff_positions, eps, atol, rtol)
        else:
            failure = _full_check(evaluate, diff_inputs, diff_positions, eps, atol, rtol)
    finally:
        set_rng_state(rng_state)
    if failure is None:
        return True
    if raise_exception:
        raise GradcheckError(failure)
    return False


def _full_check(evaluate, diff_inputs, diff_positions, eps, atol, rtol):
    outputs = evaluate()
    analytic = _analytic_jacobians(outputs, diff_inputs)
    # Evaluated with grad mode on: the function may itself differentiate (gradgradcheck).
    numerical = _numerical_jacobians(evaluate, diff_inputs, eps)
    for j, out in enumerate(outputs):
        for i, x in enumerate(diff_inputs):
            a, n = analytic[j][i], numerical[j][i]
            if not np.all(np.abs(a - n) <= atol + rtol * np.abs(n)):
                return _describe_failure(a, n, atol, rtol, diff_positions[i], j, x.shape, out.shape)
    return None


def _fast_check(evaluate, diff_inputs, diff_positions, eps, atol, rtol):
    # A private generator: the directions must not consume the framework's random stream.
    directions = np.random.default_rng(0)
    outputs = evaluate()
    for j, out in enumerate(outputs):
        v = directions.standard_normal(out.shape)
        if out.requires_grad:
            grads = autograd.grad(out, diff_inputs, Tensor(v.astype(out.dtype)),
                                  retain_graph=True, allow_unused=True)
        else:
            grads = [None] * len(diff_inputs)
        for i, x in enumerate(diff_inputs):
            u = directions.standard_normal(x.shape)
            u /= max(np.linalg.norm(u), 1e-300)
            analytic = 0.0 if grads[i] is None else float(np.sum(grads[i].array * u))
            original = x.array.copy()
            x.array[...] = original + eps * u
            plus = evaluate()[j].array.astype(np.float64)
            x.array[...] = original - eps * u
            minus = evaluate()[j].array.astype(np.float64)
            x.array[...] = original
            numerical = float(np.sum(v * (plus - minus) / (2 * eps)))
            if not abs(analytic - numerical) <= atol + rtol * abs(numerical):
                relative = abs(analytic - numerical) / max(abs(numerical), 1e-300)
                return (f"Jacobian mismatch (fast mode) for output {j} with respect to input "
                        f"{diff_positions[i]}: the random projection v^T J u is {analytic:.10g} "
                        f"by backward but {numerical:.10g} numerically (relative error "
                        f"{relative:.3g}). Run with fast_mode=False to find the element.")
    return None


def jacobian_error(fn, inputs, eps=1e-6) -> float:
    """The relative error ||J_analytic - J_numerical|| / (||J_analytic|| + ||J_numerical||)
    over all inputs and outputs: the number a gradient-check exercise reports (about 1e-10
    or less for a correct backward in float64)."""
    inputs = _copy_inputs(_as_tuple(inputs))
    diff_inputs = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    rng_state = get_rng_state()

    def evaluate():
        set_rng_state(rng_state)
        return _differentiable_outputs(_as_tuple(fn(*inputs)))

    try:
        analytic = _analytic_jacobians(evaluate(), diff_inputs)
        numerical = _numerical_jacobians(evaluate, diff_inputs, eps)
    finally:
        set_rng_state(rng_state)
    a = np.concatenate([m.ravel() for row in analytic for m in row])
    n = np.concatenate([m.ravel() for row in numerical for m in row])
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    return float(np.linalg.norm(a - n) / scale) if scale > 0 else 0.0


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, fast_mode=False) -> bool:
    """Check second derivatives: gradcheck the map (inputs, v) -> v^T dfn/dinputs, whose
    backward runs through the graph that ``create_graph=True`` builds for the gradients."""
    inputs = _as_tuple(inputs)
    outputs = _differentiable_outputs(_as_tuple(fn(*inputs)))
    if grad_outputs is None:
        rng = np.random.default_rng(1)
        grad_outputs = [Tensor(rng.standard_normal(o.shape).astype(o.dtype), requires_grad=True)
                        for o in outputs]
    grad_outputs = list(_as_tuple(grad_outputs))
    n_inputs = len(inputs)

    def first_derivatives(*args):
        xs, vs = args[:n_inputs], args[n_inputs:]
        outs = _differentiable_outputs(_as_tuple(fn(*xs)))
        diff = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
        used = [(o, v) for o, v in zip(outs, vs) if o.requires_grad]
        if not used:
            return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) for x in diff)
        grads = autograd.grad([o for o, _ in used], diff, [v for _, v in used],
                              create_graph=True, allow_unused=True)
        return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) if g is None else g
                     for x, g in zip(diff, grads))

    return gradcheck(first_derivatives, tuple(inputs) + tuple(grad_outputs), eps=eps,
                     atol=atol, rtol=rtol, raise_exception=raise_exception, fast_mode=fast_mode)


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
