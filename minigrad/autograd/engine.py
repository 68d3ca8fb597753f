"""The reverse-mode engine: grad mode, the ``Function`` base class, and ``backward``.

A tensor produced by a differentiable operation remembers the ``Function`` that made it
(``tensor.grad_fn``), and the function remembers its inputs. ``backward`` walks that graph
once in topological order and applies the chain rule one node at a time:

    dL/d(input_i) = sum over uses of  vjp_i(dL/d(output))

Each ``Function.backward`` only does math; the engine owns everything else, in exactly one
place each: accumulating gradients of tensors used several times, reducing a gradient
that was broadcast back to its input's shape, checking every returned shape, running
hooks, detecting in-place modification of saved values, and releasing the graph.
The checks that turn a mistake into a clear error (a bad return from a backward, a freed
or modified graph, a wrong seed gradient) are in ``checks.py``, so this file reads as the
algorithm.
"""
from __future__ import annotations

import traceback
from contextlib import nullcontext

import numpy as np

from ..tensor import Tensor
from .checks import (broadcastable_to, check_finite, check_inputs_are_tensors, check_node,
                     checked_gradients, initial_gradient)
from .graph import NodeName, next_functions, released_inputs
from .rebase import register_view, resolve_inputs


from ..grad_mode import (_anomaly_mode, _grad_mode, detect_anomaly, enable_grad,  # noqa: F401
                        is_grad_enabled, no_grad, set_grad_enabled)


# ---------------------------------------------------------------------------- Function
class Function:
    """One differentiable primitive: ``forward`` on NumPy arrays, ``backward`` on Tensors.

    ``forward(*arrays, **params)`` returns the output array and may keep on ``self`` what
    backward needs. ``backward(grad, output)`` returns one gradient (a Tensor, or None) per
    input, written with Tensor operations so that, under ``create_graph=True``, the
    gradients are themselves differentiable. A gradient may have the output's broadcast
    shape: the engine sums it back to the input's shape.

    ``saved_inputs`` lists the inputs whose *values* backward reads and ``saves_output``
    whether it reads the output's (``saved_values`` narrows them to what the inputs that need
    a gradient use); the engine refuses to run backward if any of those was modified in
    place after the op ran. ``private_output``: backward reads the output but PyTorch's op
    keeps something else (indices), so an in-place change of the output gives this node a
    copy of the old value instead of an error (see ``rebase.py``). A node may carry
    ``shown_inputs``: its inputs as the user passed them, for drawings of the graph, where
    the op works on a derived array (cross_entropy's one-hot target distribution in place of
    the class indices).
    """

    saved_inputs: tuple[int, ...] = ()
    saves_output: bool = False
    private_output: bool = False
    # Set on the node of an in-place op (see rebase.py): the version its output was written
    # at, and the tensor's value before (``former``); None on every other node.
    rebased_at: int | None = None
    _output_version: int = 0
    # A view op (GetItem, Reshape, Permute) sets is_view and defines replay(base) (the same
    # view of another tensor) and place(base, value) (value put back where the view was).
    is_view: bool = False

    def changed_region(self, array):
        """The part of its first input's array an in-place op of this kind overwrote."""
        return array

    inputs: tuple
    needs_input_grad: tuple
    released: bool = False

    @classmethod
    def apply(cls, *inputs: Tensor, **params) -> Tensor:
        fn = cls()
        try:
            if _anomaly_mode.enabled and _anomaly_mode.check_nan:
                output = _forward_quietly(fn, inputs, params)
            else:
                output = fn.forward(*[t.array for t in inputs], **params)
            requires_grad = _grad_mode.enabled and _any_requires_grad(inputs)
        except ValueError as error:  # e.g. NumPy's broadcasting error: say which op failed
            check_inputs_are_tensors(cls, inputs)
            raise ValueError(f"{cls.__name__}: {error}") from None
        except (AttributeError, TypeError):
            # Anything that is not a tensor fails here (it has no .array); checked only here, on
            # the error path, to keep the check off the hot path.
            check_inputs_are_tensors(cls, inputs)
            raise
        if requires_grad:
            fn.inputs = inputs
            fn.needs_input_grad = tuple(t.requires_grad for t in inputs)
            # Every input's version: it tells saved values that changed, and which state of a
            # tensor changed in place later this node used (rebase.resolve_inputs).
            fn._versions = tuple([t._version for t in inputs])
            if _anomaly_mode.enabled:
                fn._created_at = "".join(traceback.format_stack()[:-2])
            out = Tensor._make(output, True, fn)
            if cls.is_view:  # an in-place change of the input must reach this output
                register_view(inputs[0], out)
            return out
        return Tensor._make(output, False, None)

    def forward(self, *arrays, **params):
        raise NotImplementedError  # pragma: no cover

    def saved_values(self) -> tuple:
        """(indices of the inputs whose values backward will read, whether it reads the
        output), given which inputs need a gradient; by default what the class declares."""
        return self.saved_inputs, self.saves_output

    def backward(self, grad: Tensor, output: Tensor):
        raise NotImplementedError

    @property
    def name(self) -> str:
        return NodeName(type(self).__name__ + "Backward")

    @property
    def next_functions(self) -> tuple:
        """PyTorch's view of the graph: ``(node, 0)`` per input (see ``graph.py``)."""
        return next_functions(self)

    def release(self):
        # Drop the references to inputs and saved arrays so their memory can be freed, but
        # keep the graph's shape: PyTorch's next_functions survives backward (it holds the
        # inputs' nodes, never their values).
        sources = released_inputs(self)  # cheap: next_functions is built only when asked
        self.__dict__.clear()
        self.inputs = ()
        self.released = True
        self._released_inputs = sources

    def __repr__(self):
        return f"<{self.name}>"


def quiet_numpy():
    """NumPy's floating-point warnings off. Used in anomaly mode only (with its NaN check on),
    where minigrad reports a non-finite gradient itself (naming the op and where it was
    made), so NumPy's "divide by zero" / "invalid value" warnings would be a second, vaguer
    report of the same thing; as in PyTorch, log(0) is then -inf without a warning. Elsewhere
    they stay: there they are the user's only signal."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


def _forward_quietly(fn, inputs, params):
    with quiet_numpy():
        return fn.forward(*[t.array for t in inputs], **params)


def _any_requires_grad(inputs) -> bool:
    # A plain loop: any() with a generator costs more than the whole check on this hot path.
    for t in inputs:
        if t._requires_grad:
            return True
    return False


# ------------------------------------------------------------------------------ engine
def _topological_order(roots):
    """Tensors reachable from ``roots`` through grad_fn, every input before its users.

    Iterative depth-first search with an explicit stack: a chain of 100,000 ops needs no
    recursion. A node is appended after all of its inputs (post-order). Every node is also
    checked here (not freed, saved values not modified in place), so that a bad graph is
    refused before backward has accumulated or released anything.
    """
    order, visited = [], set()
    stack = [(root, False) for root in roots]
    while stack:
        tensor, inputs_done = stack.pop()
        if inputs_done:
            order.append(tensor)
            continue
        if id(tensor) in visited:
            continue
        visited.add(id(tensor))
        stack.append((tensor, True))
        fn = tensor.grad_fn
        if fn is None:
            continue
        resolve_inputs(fn)
        check_node(fn, tensor)
        for inp in fn.inputs:
            if inp.requires_grad and id(inp) not in visited:
                stack.append((inp, False))
    return order


def _fit_to_input(grad: Tensor, inp: Tensor, fn) -> Tensor:
    """Sum a broadcast gradient back to the input's shape and cast it to its dtype."""
    if grad.shape != inp.shape:
        if not broadcastable_to(inp.shape, grad.shape):
            raise RuntimeError(
                f"{fn.name} returned a gradient of shape {grad.shape} for an input of shape "
                f"{inp.shape}; the shapes are not broadcast-compatible")
        grad = grad.sum_to_shape(inp.shape)
    if grad.dtype != inp.dtype:
        grad = grad.astype(inp.dtype)
    return grad


def run_backward(roots, root_grads, retain_graph=False, create_graph=False,
                 capture=None, accumulate=True):
    """Backpropagate ``root_grads`` from ``roots`` through the graph.

    With ``accumulate`` the gradients of leaves are added into their ``.grad``; ``capture``
    (a list of tensors) asks for the gradients of those tensors to be returned instead.
    """
    order = _topological_order(roots)
    grads: dict[int, Tensor] = {}
    for root, grad in zip(roots, root_grads):
        key = id(root)
        grads[key] = grad if key not in grads else grads[key] + grad
    wanted = {id(t): i for i, t in enumerate(capture or ())}
    captured = [None] * len(wanted)
    # Arrays a leaf must not keep without copying: the caller's own gradients, and (added as
    # they go) arrays already given to another leaf.
    handed_to_leaves: set[int] = {id(g.array) for g in root_grads}
    anomaly = _anomaly_mode.enabled
    check_nan = anomaly and _anomaly_mode.check_nan

    with set_grad_enabled(create_graph), (quiet_numpy() if check_nan else nullcontext()):
        for tensor in reversed(order):
            grad = grads.pop(id(tensor), None)
            if grad is None:
                continue
            for hook in tensor._hooks or ():
                replaced = hook(grad)
                if replaced is not None:
                    grad = replaced
            if id(tensor) in wanted:
                captured[wanted[id(tensor)]] = grad
            fn = tensor.grad_fn
            if fn is None:
                if accumulate:
                    _accumulate_leaf(tensor, grad, create_graph, handed_to_leaves)
                continue
            if tensor._retains_grad and accumulate:
                tensor.grad = grad if create_graph else grad.detach()
            input_grads = fn.backward(grad, tensor)
            if type(input_grads) is not tuple or len(input_grads) != len(fn.inputs):
                input_grads = checked_gradients(fn, input_grads)
            for inp, needs, inp_grad in zip(fn.inputs, fn.needs_input_grad, input_grads):
                if inp_grad is None or not needs:
                    continue
                if not isinstance(inp_grad, Tensor):
                    checked_gradients(fn, input_grads)  # raises, naming the input
                if check_nan:
                    check_finite(inp_grad, fn)
                if inp_grad.array.shape != inp.array.shape or inp_grad.array.dtype != inp.array.dtype:
                    inp_grad = _fit_to_input(inp_grad, inp, fn)
                previous = grads.get(id(inp))
                grads[id(inp)] = inp_grad if previous is None else previous + inp_grad
            if not retain_graph:
                fn.release()
    return captured


def _accumulate_leaf(leaf, grad, create_graph, handed_to_leaves):
    if not create_graph:
        grad = grad.detach()
        data = grad.array
        # One op may hand the same array (or a view of another array) to several inputs;
        # a leaf's .grad must own its memory so that nothing else changes it behind its back,
        # and be row-major like the parameter, or every optimizer update would walk it with
        # a large stride.
        if (data.base is not None or id(data) in handed_to_leaves or not data.flags.writeable
                or not data.flags.c_contiguous):
            grad = Tensor._make(np.array(data, order="C"), False, None)
        handed_to_leaves.add(id(grad.array))
    if leaf.grad is None:
        leaf.grad = grad
    else:
        leaf.grad = leaf.grad + grad if create_graph else Tensor._make(leaf.grad.array + grad.array,
                                                                       False, None)


def backward(tensor: Tensor, gradient=None, retain_graph=None, create_graph=False):
    """``tensor.backward()``: accumulate d(tensor)/d(leaf) into every leaf's ``.grad``."""
    if not tensor.requires_grad:
        raise RuntimeError("backward() called on a tensor that does not require grad and has "
                           "no grad_fn: nothing in its computation requires grad")
    gradient = initial_gradient(tensor, gradient, "backward()")
    retain = create_graph if retain_graph is None else retain_graph
    run_backward([tensor], [gradient], retain_graph=retain, create_graph=create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned as a tuple.

    Unlike ``backward`` it does not touch any ``.grad``. With ``create_graph=True`` the
    returned gradients are differentiable (higher-order derivatives).
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    single_input = isinstance(inputs, Tensor)
    inputs = [inputs] if single_input else list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad got {len(outputs)} outputs but {len(grad_outputs)} grad_outputs")
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(f"output {i} of grad() does not require grad and has no grad_fn")
    for i, inp in enumerate(inputs):
        if not inp.requires_grad:
            raise RuntimeError(f"input {i} of grad() does not require grad")
    seeds = [initial_gradient(o, g, "grad()") for o, g in zip(outputs, grad_outputs)]
    retain = create_graph if retain_graph is None else retain_graph
    result = run_backward(outputs, seeds, retain_graph=retain, create_graph=create_graph,
                          capture=inputs, accumulate=False)
    for i, g in enumerate(result):
        if g is None and not allow_unused:
            raise RuntimeError(f"input {i} of grad() was not used to compute the outputs; "
                               "pass allow_unused=True to get None for it")
    return tuple(result)

