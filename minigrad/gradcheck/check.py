"""gradcheck and gradgradcheck: every gradient backward computes, against central differences.

The check, in four steps (as Chainer's and cs231n's checkers explain theirs):
1. list the gradients to check: each input that requires grad and, for a Module (or a bound
   method of one), each of its parameters that requires grad;
2. run backward once per output element: the rows of the analytic Jacobian A;
3. perturb each element of each of them by +-eps: the columns of the numerical Jacobian N;
4. compare element by element with PyTorch's rule |a - n| <= atol + rtol * |n|.

Two measures, never mixed up:
- the **Jacobian error** of one gradient, ||A - N|| / (||A|| + ||N||) (Frobenius norms over
  the whole Jacobian; 0 when equal, 1/3 when A = N / 2, 1 when A = -N): how wrong it is overall;
- the **element error** of one element, |a - n| / |n| (inf where n = 0 and a is not): how
  wrong the worst element (the one furthest outside the allowed tolerance) is.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .. import autograd
from ..random import get_rng_state, set_rng_state
from ..tensor import Tensor
from .diagnosis import Diagnosis, diagnose
from .jacobians import (Target, analytic_jacobians, as_tuple, copy_inputs,
                        differentiable_outputs, named_parameters_of, numerical_jacobians,
                        targets_of)


def jacobian_relative_error(analytic, numerical) -> float:
    """||A - N|| / (||A|| + ||N||): the Jacobian error (0 when both are 0)."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numerical)
    return float(np.linalg.norm(analytic - numerical) / scale) if scale > 0 else 0.0


@dataclass
class GradientFailure:
    """One gradient (an input or a parameter) whose Jacobian for one output is wrong."""
    target: Target
    output_name: str
    analytic: np.ndarray       # (output elements, target elements)
    numerical: np.ndarray
    output_shape: tuple
    atol: float
    rtol: float

    def __post_init__(self):
        self.input_shape = tuple(self.target.tensor.shape)
        excess = (np.abs(self.analytic - self.numerical)
                  - (self.atol + self.rtol * np.abs(self.numerical)))
        excess = np.where(np.isnan(excess), np.inf, excess)  # a NaN is the worst element
        worst = np.unravel_index(np.argmax(excess), excess.shape)
        self.mismatched, self.total = int((excess > 0).sum()), int(excess.size)
        self.worst_output = [int(v) for v in np.unravel_index(worst[0], self.output_shape)]
        self.worst_element = [int(v) for v in np.unravel_index(worst[1], self.input_shape)]
        self.worst_analytic = float(self.analytic[worst])
        self.worst_numerical = float(self.numerical[worst])
        difference = abs(self.worst_analytic - self.worst_numerical)
        self.element_error = (difference / abs(self.worst_numerical) if self.worst_numerical
                              else (float("inf") if difference else 0.0))
        with np.errstate(all="ignore"):
            self.jacobian_error = jacobian_relative_error(self.analytic, self.numerical)
        self.diagnosis: Diagnosis = diagnose(self.analytic, self.numerical, self.input_shape,
                                             self.output_shape)

    @property
    def gradient(self) -> str:
        """The failing gradient's name: ``input 0``, ``weight``, ``layers.0.bias``."""
        return self.target.name

    def describe(self) -> str:
        with_respect_to = self.target.name if self.target.is_parameter else "input"
        return (f"Jacobian mismatch for {self.output_name} with respect to {self.target.label}: "
                f"{self.mismatched} of {self.total} elements differ, Jacobian error "
                f"{self.jacobian_error:.3g}. Worst: d output{self.worst_output or ''} / "
                f"d {with_respect_to}{self.worst_element}: analytic {self.worst_analytic:.10g}, "
                f"numerical {self.worst_numerical:.10g}, element error {self.element_error:.3g} "
                f"(allowed: atol={self.atol} + rtol={self.rtol} * |numerical|)\n"
                f"Diagnosis: {self.diagnosis}")


class GradcheckError(RuntimeError):
    """Raised by gradcheck when the analytic and numerical gradients disagree. ``failures``
    lists every wrong gradient (a ``GradientFailure``: its name, both Jacobians, the worst
    element, both measures and the ``diagnosis``); the attributes below are the first's."""

    def __init__(self, message, failures=()):
        super().__init__(message)
        self.failures = list(failures)
        first = self.failures[0] if self.failures else None
        self.gradient = first.gradient if first else None
        self.diagnosis = first.diagnosis if first else None


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              fast_mode=False) -> bool:
    """Check ``fn``'s backward against central differences for every input that requires
    grad and every parameter that requires grad: a Module's own, a bound method's module's,
    or those of the Modules and Parameters a plain function (a lambda, a closure) names.
    Returns True, or raises ``GradcheckError`` naming the gradient (``input 0`` or the
    parameter's name, e.g. ``weight``, ``layers.0.bias``, ``model.weight``), the output, the
    worst element, both values, the Jacobian error, the element error and a diagnosis of
    the mistake (returns False with raise_exception=False).

    Checking parameters goes beyond ``torch.autograd.gradcheck`` (which checks inputs only)
    on purpose: a layer whose weight gradient is wrong must not pass.

    Jacobian error: ||A - N|| / (||A|| + ||N||) over one gradient's whole Jacobian.
    Element error: |a - n| / |n| at the worst element. An element passes when
    |a - n| <= atol + rtol * |n| (PyTorch's rule).

    ``fast_mode`` compares one random projection v^T J u per gradient/output pair instead of
    the full Jacobian: one backward and two evaluations instead of one per element.
    The framework's random state is the same before and after, and ``fn`` sees the same
    random stream in every evaluation (so dropout masks do not change between them).
    """
    return _check(fn, inputs, named_parameters_of(fn), None, eps, atol, rtol,
                  raise_exception, fast_mode)


def _check(fn, inputs, named_parameters, output_names, eps, atol, rtol, raise_exception,
           fast_mode):
    inputs = copy_inputs(as_tuple(inputs))
    targets = targets_of(inputs, named_parameters)
    if not targets:
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    low_precision = [f"{t.label} has dtype {t.tensor.dtype}" for t in targets
                     if t.tensor.dtype != np.float64]
    if low_precision:  # one warning for all of them (a float32 Module has many parameters)
        warnings.warn(f"gradcheck: {', '.join(low_precision)}, not float64; finite "
                      "differences in low precision are unreliable (call .double())",
                      stacklevel=3)
    tensors = [t.tensor for t in targets]
    saved_parameters = [np.array(p.array) for _, p in named_parameters]
    rng_state = get_rng_state()

    def evaluate():
        set_rng_state(rng_state)
        return differentiable_outputs(as_tuple(fn(*inputs)))

    try:
        check = _fast_check if fast_mode else _full_check
        failures = check(evaluate, targets, tensors, output_names, eps, atol, rtol)
    finally:
        set_rng_state(rng_state)
        for (_, p), array in zip(named_parameters, saved_parameters):
            p.array[...] = array  # exactly the caller's values again
    if not failures:
        return True
    if raise_exception:
        if isinstance(failures, str):  # fast mode: one projection, no Jacobian to diagnose
            raise GradcheckError(failures)
        message = failures[0].describe()
        if len(failures) > 1:
            message += "\nAlso wrong: " + "; ".join(
                f"{f.target.label} ({f.output_name}, Jacobian error {f.jacobian_error:.3g}, "
                f"{f.diagnosis.kind})" for f in failures[1:])
        raise GradcheckError(message, failures)
    return False


def _output_name(output_names, j):
    return output_names[j] if output_names else f"output {j}"


def _full_check(evaluate, targets, tensors, output_names, eps, atol, rtol):
    outputs = evaluate()
    analytic = analytic_jacobians(outputs, tensors)
    # Evaluated with grad mode on: the function may itself differentiate (gradgradcheck).
    numerical = numerical_jacobians(evaluate, tensors, eps)
    failures = []
    for j, out in enumerate(outputs):
        for i, target in enumerate(targets):
            a, n = analytic[j][i], numerical[j][i]
            if not np.all(np.abs(a - n) <= atol + rtol * np.abs(n)):
                failures.append(GradientFailure(target, _output_name(output_names, j), a, n,
                                                tuple(out.shape), atol, rtol))
    return failures


def _fast_check(evaluate, targets, tensors, output_names, eps, atol, rtol):
    # A private generator: the directions must not consume the framework's random stream.
    directions = np.random.default_rng(0)
    outputs = evaluate()
    for j, out in enumerate(outputs):
        v = directions.standard_normal(out.shape)
        if out.requires_grad:
            grads = autograd.grad(out, tensors, Tensor(v.astype(out.dtype)),
                                  retain_graph=True, allow_unused=True)
        else:
            grads = [None] * len(tensors)
        for i, x in enumerate(tensors):
            u = directions.standard_normal(x.shape)
            u /= max(np.linalg.norm(u), 1e-300)
            analytic = 0.0 if grads[i] is None else float(np.sum(grads[i].array * u))
            original = np.array(x.array)
            x.array[...] = original + eps * u
            plus = evaluate()[j].array.astype(np.float64)
            x.array[...] = original - eps * u
            minus = evaluate()[j].array.astype(np.float64)
            x.array[...] = original
            numerical = float(np.sum(v * (plus - minus) / (2 * eps)))
            if not abs(analytic - numerical) <= atol + rtol * abs(numerical):
                error = abs(analytic - numerical) / max(abs(numerical), 1e-300)
                return (f"Jacobian mismatch (fast mode) for {_output_name(output_names, j)} "
                        f"with respect to {targets[i].label}: the random projection v^T J u "
                        f"is {analytic:.10g} by backward but {numerical:.10g} numerically "
                        f"(projection error |a - n| / |n| = {error:.3g}). Run with "
                        "fast_mode=False to find the element and a diagnosis.")
    return None


def jacobian_error(fn, inputs, eps=1e-6) -> float:
    """The Jacobian error ||A - N|| / (||A|| + ||N||) over all gradients (inputs that require
    grad and, for a Module, its parameters) and outputs at once: the one number a
    gradient-check exercise reports (about 1e-10 or less for a correct backward in float64).
    Not the element error, which gradcheck reports for the worst element."""
    inputs = copy_inputs(as_tuple(inputs))
    named_parameters = named_parameters_of(fn)
    tensors = [t.tensor for t in targets_of(inputs, named_parameters)]
    saved_parameters = [np.array(p.array) for _, p in named_parameters]
    rng_state = get_rng_state()

    def evaluate():
        set_rng_state(rng_state)
        return differentiable_outputs(as_tuple(fn(*inputs)))

    try:
        analytic = analytic_jacobians(evaluate(), tensors)
        numerical = numerical_jacobians(evaluate, tensors, eps)
    finally:
        set_rng_state(rng_state)
        for (_, p), array in zip(named_parameters, saved_parameters):
            p.array[...] = array
    a = np.concatenate([m.ravel() for row in analytic for m in row] or [np.zeros(0)])
    n = np.concatenate([m.ravel() for row in numerical for m in row] or [np.zeros(0)])
    return jacobian_relative_error(a, n)


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, fast_mode=False) -> bool:
    """Check second derivatives: gradcheck the map (inputs, v) -> v^T dfn/d(inputs,
    parameters), whose backward runs through the graph that ``create_graph=True`` builds for
    the gradients. For a Module the parameters are differentiated too, on both levels (as in
    gradcheck, beyond ``torch.autograd.gradgradcheck``); a failure names the first-order
    gradient (``the gradient of weight``) and the second-order one (``input 0``, ``bias``)."""
    inputs = as_tuple(inputs)
    named_parameters = named_parameters_of(fn)
    parameters = [p for _, p in named_parameters]
    outputs = differentiable_outputs(as_tuple(fn(*inputs)))
    if grad_outputs is None:
        rng = np.random.default_rng(1)
        grad_outputs = [Tensor(rng.standard_normal(o.shape).astype(o.dtype), requires_grad=True)
                        for o in outputs]
    grad_outputs = list(as_tuple(grad_outputs))
    n_inputs = len(inputs)
    first_order = targets_of(inputs, named_parameters)

    def first_derivatives(*args):
        xs, vs = args[:n_inputs], args[n_inputs:]
        outs = differentiable_outputs(as_tuple(fn(*xs)))
        diff = [x for x in xs if isinstance(x, Tensor) and x.requires_grad] + parameters
        used = [(o, v) for o, v in zip(outs, vs) if o.requires_grad]
        if not used:
            return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) for x in diff)
        grads = autograd.grad([o for o, _ in used], diff, [v for _, v in used],
                              create_graph=True, allow_unused=True)
        return tuple(Tensor(np.zeros(x.shape, dtype=x.dtype)) if g is None else g
                     for x, g in zip(diff, grads))

    names = [f"the gradient of {t.name}" for t in first_order]
    return _check(first_derivatives, tuple(inputs) + tuple(grad_outputs), named_parameters,
                  names, eps, atol, rtol, raise_exception, fast_mode)
