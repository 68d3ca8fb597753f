"""Checking a student's exercise file with minigrad's own gradient checker.

For every case of the exercise (several shapes and the edge cases), in order:
1. forward, compared with the reference's when the student writes it;
2. the raw gradients backward returns, each of its input's exact shape (a broadcast gradient
   left unsummed, or a transposed one, is named here before the engine would reshape it);
3. ``minigrad.gradcheck`` on every input and every parameter: each wrong gradient is named
   by its argument (``b``, ``weight``) with the library's diagnosis of the mistake;
4. the exercise's special check (ReLU's gradient at 0, ties in a max window);
then ``minigrad.gradgradcheck`` on the first case where backward is written with Tensor
operations. The first failing step ends the check: one mistake at a time.
"""
from __future__ import annotations

import importlib.util
import os
import traceback
from dataclasses import dataclass, field

import numpy as np

import minigrad
from minigrad.gradcheck import GradcheckError, diagnose

from . import source
from .catalogue import Exercise
from .edge_cases import SPECIAL_CHECKS


@dataclass
class Failure:
    """One wrong thing: the case, the gradient (an argument or parameter name), the kind of
    mistake (a diagnosis kind, or "not_implemented", "forward", "shape", "error") and the
    sentence for the student."""
    case: str
    gradient: str | None
    kind: str
    message: str


@dataclass
class CheckResult:
    exercise: str
    passed_cases: list = field(default_factory=list)
    failure: Failure | None = None
    also: list = field(default_factory=list)   # the other wrong gradients of the same case

    @property
    def passed(self) -> bool:
        return self.failure is None

    def report(self) -> str:
        lines = [f"ok    {label}" for label in self.passed_cases]
        if self.failure is None:
            lines.append(f"{self.exercise}: passed, every gradient on every case")
            return "\n".join(lines)
        f = self.failure
        lines.append(f"FAIL  {f.case}")
        lines.append(f"  {f.message}")
        for other in self.also:
            lines.append(f"  also wrong: {other.message}")
        return "\n".join(lines)


class ExerciseFileError(ValueError):
    """The file cannot be checked at all (missing, no entry point): one line for the CLI."""


def load(path, exercise: Exercise):
    """Run the student's file as a module of its own and return its entry point."""
    if not os.path.isfile(path):
        raise ExerciseFileError(f"{path}: no such file (start it with: minigrad exercises "
                                f"start {exercise.name})")
    spec = importlib.util.spec_from_file_location(f"_exercise_{exercise.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, exercise.entry):
        raise ExerciseFileError(f"{path} defines no {exercise.entry!r}: the {exercise.name} "
                                f"exercise checks the class {exercise.entry}")
    return getattr(module, exercise.entry)


def reference(exercise: Exercise):
    spec = importlib.util.spec_from_file_location(f"_reference_{exercise.name}",
                                                  source.SOLUTIONS / f"{exercise.name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, exercise.entry)


def _arguments(case, seed=0):
    """The case's arguments as the check passes them (see catalogue.Case)."""
    rng = np.random.default_rng(seed)
    made = []
    for value in case.make(rng):
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            made.append(minigrad.Tensor(value.astype(np.float64), requires_grad=True))
        elif isinstance(value, np.ndarray):
            made.append(minigrad.Tensor(value.astype(np.int64)))
        else:
            made.append(value)
    return made


def _callable(exercise, entry, case):
    if exercise.is_module:
        minigrad.manual_seed(0)  # the same initial parameters for the student and the reference
        return entry(**case.module).double()
    return entry.apply


def _names(exercise, fn):
    """'input 3' -> the argument's name; a parameter keeps its own name."""
    def name(gradient):
        if gradient and gradient.startswith("input "):
            return exercise.arguments[int(gradient.split()[1])]
        return gradient
    return name


def check(exercise: Exercise, path) -> CheckResult:
    """Check the file at ``path`` against ``exercise``; never raises for a mistake in the
    student's code (it becomes the result's failure), only ExerciseFileError."""
    result = CheckResult(exercise.name)
    try:
        entry = load(path, exercise)
    except ExerciseFileError:
        raise
    except Exception as problem:  # a syntax error or a crash while importing the file
        result.failure = Failure("loading the file", None, "error", _in_user_code(problem, path))
        return result
    ref = reference(exercise) if exercise.writes_forward else None
    for case in exercise.cases:
        failure, also = _check_case(exercise, entry, ref, case, path)
        if failure is not None:
            result.failure, result.also = failure, also
            return result
        result.passed_cases.append(case.label)
    if exercise.second_order:
        case = exercise.cases[0]
        failure, also = _second_order(exercise, entry, case, path)
        if failure is not None:
            result.failure, result.also = failure, also
            return result
        result.passed_cases.append(f"second derivatives ({case.label})")
    return result


def _check_case(exercise, entry, ref, case, path):
    label = case.label
    name = _names(exercise, entry)
    try:
        fn = _callable(exercise, entry, case)
        if ref is not None:
            problem = _compare_forward(exercise, fn, _callable(exercise, ref, case), case)
            if problem:
                return Failure(label, None, "forward", problem), []
        problem = _raw_gradient_shapes(exercise, fn, case)
        if problem:
            return problem, []
        try:
            minigrad.gradcheck(fn, _arguments(case))
        except GradcheckError as error:
            failures = [Failure(label, name(f.gradient), f.diagnosis.kind,
                                _describe(name(f.gradient), f)) for f in error.failures]
            return failures[0], failures[1:]
        special = SPECIAL_CHECKS.get(exercise.special)
        if special and case is exercise.cases[0]:
            problem = special(fn)
            if problem:
                return Failure(f"edge case: {problem[0]}", exercise.arguments[0], problem[1],
                               problem[2]), []
    except NotImplementedError as error:
        return Failure(label, None, "not_implemented", f"not implemented: {error}"), []
    except Exception as problem:
        if "shape" in str(problem):  # matmul's "not aligned", a broadcast that fails
            return Failure(label, None, "shape", _in_user_code(problem, path) + ": the shapes "
                           "do not fit: is an operand transposed? (grad_output has out's "
                           "shape; each gradient has its input's)"), []
        return Failure(label, None, "error", _in_user_code(problem, path)), []
    return None, []


def _describe(gradient, failure) -> str:
    return (f"the gradient of {gradient} is wrong: {failure.diagnosis}. Worst element "
            f"d out{failure.worst_output or ''} / d {gradient}{failure.worst_element or ''}: yours "
            f"{failure.worst_analytic:.6g}, true {failure.worst_numerical:.6g} (element error "
            f"{failure.element_error:.2g}; Jacobian error {failure.jacobian_error:.2g})")


def _compare_forward(exercise, fn, ref_fn, case):
    with minigrad.no_grad():
        minigrad.manual_seed(0)
        mine = fn(*_arguments(case))
        minigrad.manual_seed(0)
        true = ref_fn(*_arguments(case))
    if not isinstance(mine, minigrad.Tensor):
        kind = type(mine)
        return f"forward returned a {kind.__module__}.{kind.__qualname__}, not a Tensor"
    if mine.shape != true.shape:
        return f"forward returned shape {tuple(mine.shape)}; expected {tuple(true.shape)}"
    if not np.allclose(mine.array, true.array, rtol=1e-7, atol=1e-10):
        worst = np.abs(mine.array - true.array).max()
        return f"forward is wrong: its output differs from the reference by up to {worst:.3g}"
    return None


def _raw_gradient_shapes(exercise, fn, case):
    """Call the node's backward directly, before the engine would sum a broadcast gradient
    for the student: each gradient must already have its input's shape."""
    inputs = _arguments(case)
    minigrad.manual_seed(0)
    out = fn(*inputs)
    node = out.grad_fn
    seed = minigrad.Tensor(np.ones(out.shape))
    with minigrad.no_grad():
        grads = node.backward(seed, out)
    grads = grads if isinstance(grads, tuple) else (grads,)
    names = list(exercise.arguments)
    if exercise.is_module:
        names = ["x"] + [n for n, _ in fn.named_parameters()]
    for given, grad, arg_name in zip(node.inputs, grads, names):
        if grad is None or not isinstance(grad, minigrad.Tensor) or not given.requires_grad:
            continue
        if tuple(grad.shape) == tuple(given.shape):
            continue
        got, want = tuple(grad.shape), tuple(given.shape)
        if got == want[::-1]:
            kind, why = "transposed", "transposed (it has the transpose's shape)"
        elif _broadcasts_to(want, got):
            kind, why = "broadcast", ("a missing sum over a broadcast dimension: sum the "
                                      "gradient over the dimensions broadcasting stretched")
        else:
            kind, why = "shape", "not a shape broadcasting explains"
        return Failure(case.label, arg_name, kind,
                       f"the gradient of {arg_name} is wrong: backward returned shape {got} "
                       f"where {arg_name} has shape {want}: {why}")
    return None


def _broadcasts_to(small, big) -> bool:
    try:
        return np.broadcast_shapes(small, big) == tuple(big)
    except ValueError:
        return False


def _second_order(exercise, entry, case, path):
    name = _names(exercise, entry)
    try:
        fn = _callable(exercise, entry, case)
        minigrad.gradgradcheck(fn, _arguments(case))
    except GradcheckError as error:
        failures = [Failure(f"second derivatives ({case.label})", name(f.gradient),
                            f.diagnosis.kind,
                            f"the gradient of {name(f.output_name[len('the gradient of '):])} "
                            f"is not differentiable correctly with respect to {name(f.gradient)}: "
                            f"{f.diagnosis}. Write backward with Tensor operations on "
                            "ctx.saved_tensors (not NumPy, not .detach()) so that its own "
                            "gradient exists") for f in error.failures]
        return failures[0], failures[1:]
    except NotImplementedError as error:
        return Failure(case.label, None, "not_implemented", f"not implemented: {error}"), []
    except Exception as problem:
        return Failure(f"second derivatives ({case.label})", None, "error",
                       _in_user_code(problem, path)), []
    return None, []


def _in_user_code(problem, path) -> str:
    frames = [f for f in traceback.extract_tb(problem.__traceback__)
              if os.path.abspath(f.filename) == os.path.abspath(str(path))]
    where = f" ({path}, line {frames[-1].lineno})" if frames else ""
    return f"{type(problem).__name__}: {problem}{where}"
