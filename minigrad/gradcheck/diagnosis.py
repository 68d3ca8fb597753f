"""What kind of mistake a wrong gradient is: the analytic Jacobian compared with the true
(numerical) one, looking for the classic mistakes of a hand-written backward.

Each test below is a relation between the two matrices A (analytic) and N (numerical), both
(outputs, elements of the input or parameter), that holds for one mistake:

    NaN / inf        A has a non-finite entry
    zero             A = 0 while N != 0                   (a forgotten gradient)
    factor c         A = c N for one constant c            (c = -1: wrong sign; 0.5: x*x -> x,
                                                           1/k: an extra mean; k: a missing one)
    transposed       A = N with the input's axes reversed  (x.T @ g for g.T @ x; also when the
                                                           transpose was reshaped to fit),
                     or with an output axis and an input axis swapped (g @ W for g @ W.T)
    one path         A = the sum of some of ``paths`` only  (a value used twice, one use missed)
                     or A is element-wise (diagonal) while N couples elements: the paths
                     through a shared sum / mean / norm are missing
    broadcast        rows of A equal those of N for some outputs and are 0 for the others
                     (the gradient of one slice of a broadcast, not its sum)

``diagnose`` returns the first that holds (a ``Diagnosis``: a short ``kind`` and a sentence),
or kind "unknown" with the range of the ratio A / N.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

TINY = 1e-300


@dataclass(frozen=True)
class Diagnosis:
    """kind: "nan", "zero", "spurious", "sign", "factor", "transposed", "one_path",
    "broadcast", "unknown" or "none" (the gradients agree); message: the sentence to show."""
    kind: str
    message: str
    factor: float | None = None

    def __str__(self) -> str:
        return self.message


def _close(a, b, tol) -> bool:
    return np.linalg.norm(a - b) <= tol * max(np.linalg.norm(b), TINY)


def diagnose(analytic, numerical, input_shape, output_shape=None, paths=None,
             tol=1e-3) -> Diagnosis:
    """Name the mistake that turns the true Jacobian ``numerical`` into ``analytic``.

    analytic, numerical: (output elements, input elements) arrays (a plain gradient, for a
    scalar output, is a single row: pass ``grad.reshape(1, -1)``). input_shape / output_shape:
    the shapes the columns / rows flatten. paths: optional {description: Jacobian of one use
    of the input} whose sum is the true Jacobian (how a value used several times contributes).
    tol: relative tolerance of "equal" (on the Frobenius norm).
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numerical, dtype=np.float64)
    input_shape = tuple(input_shape)
    output_shape = tuple(output_shape) if output_shape is not None else (a.shape[0],)
    a, n = np.atleast_2d(a), np.atleast_2d(n)
    if not np.all(np.isfinite(a)):
        bad = np.argwhere(~np.isfinite(a))[0]
        what = "NaN" if np.isnan(a[tuple(bad)]) else "inf"
        where = _at(bad[1], input_shape)
        if not np.all(np.isfinite(n)):
            return Diagnosis("nan", f"NaN/inf: the function itself is not finite near this "
                                    f"point (the numerical gradient has {what} too)")
        return Diagnosis("nan", f"NaN/inf: backward returns {what} (first at element "
                                f"{where}) where the true gradient is finite: a division by "
                                "zero, log(0), or sqrt of 0 in the backward formula")
    if not np.all(np.isfinite(n)):
        return Diagnosis("nan", "NaN/inf: the numerical gradient is not finite: the function "
                                "is not differentiable near this point")
    scale = np.linalg.norm(n)
    if _close(a, n, tol):
        return Diagnosis("none", "the analytic and numerical gradients agree")
    if np.linalg.norm(a) <= tol * scale:
        return Diagnosis("zero", "zero: backward returns 0 for this gradient but the true one "
                                 "is not 0 (a forgotten gradient, a None returned, or the value "
                                 "detached on the way)")
    if scale <= tol * np.linalg.norm(a):
        return Diagnosis("spurious", "the true gradient is 0 (the output does not depend on "
                                     "this), but backward returns a non-zero gradient")
    factor = float(np.sum(a * n) / np.sum(n * n))
    if _close(a, factor * n, tol):
        return _constant_factor(factor, input_shape, output_shape)
    transposed = _transposed(a, n, input_shape, tol)
    if transposed:
        return transposed
    operand = _transposed_operand(a, n, input_shape, output_shape, tol)
    if operand:
        return operand
    if paths:
        partial = _some_paths(a, paths, tol)
        if partial:
            return partial
    sliced = _one_slice(a, n, output_shape, tol)
    if sliced:
        return sliced
    elementwise = _elementwise_only(a, n, tol)
    if elementwise:
        return elementwise
    with np.errstate(all="ignore"):
        ratio = a[np.abs(n) > 1e-8 * np.abs(n).max()] / n[np.abs(n) > 1e-8 * np.abs(n).max()]
    hint = ("the derivative formula itself is off (a missing product- or chain-rule term?)"
            if _is_diagonal(a) and _is_diagonal(n) else
            "compare the worst element's formula by hand")
    return Diagnosis("unknown", f"no classic mistake fits: the ratio analytic / numerical "
                                f"ranges from {ratio.min():.3g} to {ratio.max():.3g}; {hint}")


def _off_diagonal(m):
    return m - np.diag(np.diag(m))


def _is_diagonal(m, tol=1e-9) -> bool:
    return (m.shape[0] == m.shape[1] and m.shape[0] > 1
            and np.linalg.norm(_off_diagonal(m)) <= tol * np.linalg.norm(m))


def _at(flat_index, shape) -> list:
    return [int(i) for i in np.unravel_index(int(flat_index), shape)] if shape else []


def _constant_factor(c, input_shape, output_shape) -> Diagnosis:
    if abs(c + 1) < 1e-3:
        return Diagnosis("sign", "wrong sign: backward returns -1 times the true gradient (a "
                                 "minus sign too many or missing)", c)
    sign = "wrong sign and " if c < 0 else ""
    m = abs(c)
    if abs(m - 0.5) < 1e-3:
        return Diagnosis("sign" if sign else "factor",
                         f"{sign}factor 0.5: backward returns half the true gradient: a "
                         "forgotten factor 2 (d x^2 = 2x), or the gradient of only one use "
                         "of a value used twice (x * x)", c)
    if abs(m - 2) < 2e-3:
        return Diagnosis("sign" if sign else "factor",
                         f"{sign}factor 2: backward returns twice the true gradient: a factor "
                         "2 too many, or one contribution counted twice", c)
    inverse = round(1 / m) if m < 1 else 0
    if inverse >= 3 and abs(m * inverse - 1) < 1e-3:
        return Diagnosis("sign" if sign else "factor",
                         f"{sign}factor 1/{inverse}: backward returns 1/{inverse} of the true "
                         f"gradient: a constant factor {inverse} forgotten (an exponent, a "
                         f"multiplier), or a division by {inverse} once too often (a mean "
                         "where a sum belongs, the batch size divided twice, a broadcast "
                         "dimension averaged instead of summed)"
                         f"{_sizes(inverse, input_shape, output_shape)}", c)
    whole = round(m)
    if whole >= 3 and abs(m / whole - 1) < 1e-3:
        return Diagnosis("sign" if sign else "factor",
                         f"{sign}factor {whole}: backward returns {whole} times the true "
                         f"gradient: a forgotten 1/{whole} (the mean's 1/n, or the batch "
                         f"size){_sizes(whole, input_shape, output_shape)}", c)
    return Diagnosis("sign" if sign else "factor",
                     f"{sign}off by a constant factor: backward returns {c:.4g} times the true "
                     "gradient", c)


def _sizes(k, input_shape, output_shape) -> str:
    """Where a factor k can come from: a dimension of that size, or the broadcast count."""
    names = [f"output dimension {d}" for d, size in enumerate(output_shape) if size == k]
    names += [f"input dimension {d}" for d, size in enumerate(input_shape) if size == k]
    if (int(np.prod(output_shape)) == k * int(np.prod(input_shape))
            and len(output_shape) > len(input_shape)):
        names.append("the broadcast count")
    return f"; {k} is the size of {' and '.join(names)}" if names else ""


def _transposed(a, n, input_shape, tol):
    if len(input_shape) < 2:
        return None
    index = np.arange(int(np.prod(input_shape))).reshape(input_shape)
    for order, how in ((index.T.ravel(), "reversed axes"),
                       (index.swapaxes(-1, -2).ravel(), "last two axes swapped")):
        if np.array_equal(order, np.arange(order.size)) or not _close(a, n[:, order], tol):
            continue
        square = input_shape[-1] == input_shape[-2]
        return Diagnosis("transposed", "transposed: backward returns the transpose of the true "
                                       f"gradient ({how}"
                                       f"{'' if square else ', then reshaped to fit'}), e.g. "
                                       "x.T @ g where g.T @ x belongs")
    return None


def _transposed_operand(a, n, input_shape, output_shape, tol):
    """A = N with one output axis and one input axis of the same size swapped: the gradient
    was computed with a square matrix where its transpose belongs (g @ W for g @ W.T)."""
    shape = output_shape + input_shape
    if int(np.prod(shape)) != a.size:
        return None
    a_full, n_full = a.reshape(shape), n.reshape(shape)
    for p, out_size in enumerate(output_shape):
        for q, in_size in enumerate(input_shape):
            if out_size != in_size or out_size < 2:
                continue
            swapped = np.swapaxes(a_full, p, len(output_shape) + q)
            if _close(swapped, n_full, tol):
                return Diagnosis("transposed", "transposed: backward multiplies by a matrix "
                                               "where its transpose belongs (e.g. g @ W "
                                               "instead of g @ W.T, or W @ g for W.T @ g)")
    return None


def _some_paths(a, paths, tol):
    labels = list(paths)
    for size in range(1, len(labels)):
        for chosen in combinations(labels, size):
            if _close(a, sum(np.asarray(paths[k], dtype=np.float64) for k in chosen), tol):
                missing = [k for k in labels if k not in chosen]
                return Diagnosis("one_path", "one path only: the gradient matches "
                                             f"{' and '.join(chosen)} only (one use of the "
                                             f"value); missing: {' and '.join(missing)} (a value "
                                             "used more than once gets the sum of the "
                                             "gradients of all its uses)")
    return None


def _one_slice(a, n, output_shape, tol):
    if a.shape[0] < 2:
        return None
    floor = tol * np.linalg.norm(n) / np.sqrt(a.shape[0])
    row_error = np.linalg.norm(a - n, axis=1)
    matches = row_error <= np.maximum(tol * np.linalg.norm(n, axis=1), floor * 1e-3)
    missing = (np.linalg.norm(a, axis=1) <= floor) & (np.linalg.norm(n, axis=1) > floor)
    if not (np.all(matches | missing) and matches.any() and missing.any()):
        return None
    matched = np.array([np.unravel_index(k, output_shape) for k in np.flatnonzero(matches)])
    along = [d for d in range(len(output_shape))
             if output_shape[d] > 1 and len(set(matched[:, d])) == 1]
    where = (f" (only output index {matched[0, along[0]]} along dimension {along[0]}: sum "
             f"the gradient over dimension {along[0]})" if along else "")
    return Diagnosis("broadcast", f"one slice only: backward returns the gradient of "
                                  f"{int(matches.sum())} of {a.shape[0]} output elements"
                                  f"{where}: a missing sum over a broadcast dimension (or "
                                  "over the repeated uses of one element)")


def _elementwise_only(a, n, tol):
    if a.shape[0] != a.shape[1] or a.shape[0] < 2:
        return None
    if (np.linalg.norm(_off_diagonal(a)) <= tol * np.linalg.norm(a)
            and np.linalg.norm(_off_diagonal(n)) > tol * np.linalg.norm(n)):
        return Diagnosis("one_path", "one path only (it matches the gradient of one use "
                                     "only): backward has only the element-wise path "
                                     "(each output to its own input element); the paths "
                                     "through a term shared by all elements (a sum, mean, "
                                     "variance or norm of the input) are missing")
    if (np.linalg.norm(_off_diagonal(n - a)) <= tol * np.linalg.norm(n)
            and np.linalg.norm(_off_diagonal(n)) > tol * np.linalg.norm(n)):
        return Diagnosis("one_path", "one path only (it matches the gradient of one use "
                                     "only): backward has only the path through the "
                                     "term shared by all elements; the direct element-wise "
                                     "path (each output to its own input element) is missing")
    return None
