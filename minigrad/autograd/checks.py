"""The engine's checks, kept apart so that engine.py reads as the algorithm: each turns a
mistake (in a hand-written ``Function``, in the graph, or in the gradient handed to
``backward``/``grad``) into an error that names the op and the problem, before anything is
accumulated or released.
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor


def check_node(fn, output):
    """Refuse a node whose graph was freed, or whose saved values were changed in place."""
    if fn.released:
        raise RuntimeError(
            "Trying to backward through the graph a second time (or to reach values that "
            f"{fn.name} already freed). Pass retain_graph=True to the first backward "
            "call if you need to call backward twice.")
    _check_saved_values(fn, output)


def check_inputs_are_tensors(cls, inputs):
    for index, value in enumerate(inputs):
        if not isinstance(value, Tensor):
            raise TypeError(f"{cls.__name__} expects Tensor inputs, but input {index} is "
                            f"{_kind(value)}; convert it with minigrad.tensor(...)") from None


def _check_saved_values(fn, output):
    inputs, reads_output = fn.saved_values()
    if reads_output and output._version != fn._output_version:
        raise RuntimeError(modified_message(output, "output 0 of", fn, fn._output_version))
    for index in inputs:
        tensor, version = fn.inputs[index], fn._versions[index]
        if tensor._version != version:
            raise RuntimeError(modified_message(tensor, f"input {index} of", fn, version))


def modified_message(tensor, role: str, fn, expected: int) -> str:
    """PyTorch's error for a saved value changed in place, naming the tensor and the node."""
    return ("one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{tensor.dtype} tensor of shape {tuple(tensor.shape)}], which "
            f"is {role} {fn.name}, is at version {tensor._version}; expected version {expected} "
            "instead. Hint: use an out-of-place operation (or .clone() the value) before "
            "changing it in place.")


def broadcastable_to(small, big) -> bool:
    if len(small) > len(big):
        return False
    return all(s == b or s == 1 for s, b in zip(small[::-1], big[::-1]))


def checked_gradients(fn, result) -> tuple:
    """What a custom backward returned, as a tuple of one gradient per input, or an error
    naming the Function and the mistake (the usual ones when writing a Function by hand)."""
    owner = f"{type(fn).__name__}.backward"
    count = len(fn.inputs)
    if isinstance(result, Tensor):
        raise TypeError(f"{owner} returned a bare Tensor; return a tuple with one gradient per "
                        f"input ({count} here), e.g. `return (grad_input,)`")
    if not isinstance(result, (tuple, list)):
        raise TypeError(f"{owner} returned {_kind(result)}; it must return a tuple with one "
                        f"gradient (a Tensor, or None) per input ({count} here)")
    if len(result) != count:
        raise RuntimeError(f"{owner} returned {len(result)} gradients for {count} input"
                           f"{'s' if count != 1 else ''}; it must return exactly one per input "
                           "(None for an input that gets no gradient)")
    for index, value in enumerate(result):
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(_not_a_tensor(fn, index, value))
    return tuple(result)


def _not_a_tensor(fn, index, value) -> str:
    hint = (": compute it with Tensor operations (so that create_graph works), or wrap the "
            "array with minigrad.tensor(...)" if isinstance(value, np.ndarray) else "")
    return (f"{type(fn).__name__}.backward returned {_kind(value)} as the gradient of input "
            f"{index}; each gradient must be a Tensor or None{hint}")


def _kind(value) -> str:
    kind = type(value)
    return f"a {kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else \
        f"a {kind.__qualname__}"


def check_finite(grad: Tensor, fn):
    if grad is not None and grad.array.dtype.kind == "f" and not np.isfinite(grad.array).all():
        bad = "nan" if np.isnan(grad.array).any() else "inf"
        where = getattr(fn, "_created_at", "")
        raise RuntimeError(
            f"Function '{fn.name}' returned {bad} values in its gradient. The op was created "
            f"here (most recent call last):\n{where}")


def initial_gradient(output: Tensor, gradient, caller: str) -> Tensor:
    if gradient is None:
        if output.numel() != 1:
            raise RuntimeError(
                f"{caller}: grad can be implicitly created only for scalar outputs; this output "
                f"has shape {output.shape}, so pass a gradient of that shape")
        return Tensor._make(np.ones(output.shape, dtype=output.dtype), False, None)
    if not isinstance(gradient, Tensor):
        gradient = Tensor(np.asarray(gradient, dtype=output.dtype))
    if gradient.shape != output.shape:
        raise RuntimeError(f"{caller}: the gradient has shape {gradient.shape} but the output "
                           f"has shape {output.shape}; they must match")
    return gradient
