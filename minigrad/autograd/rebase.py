"""In-place ops in the graph: how ``y.add_(x)`` rewrites ``y``'s history, as PyTorch does.

A tensor changed in place keeps its identity and its array (every reference sees the new
value), but its *history* changes: after ``out += identity`` the tensor ``out`` is the
output of an Add whose first input is ``out`` as it was before. That earlier state is kept
as a *former* tensor: the same array, the old ``grad_fn``, and (read through the modified
tensor) the same version counter::

    before:   out --grad_fn--> ConvBackward
    after:    out --grad_fn--> AddBackward(former, identity),  former --grad_fn--> ConvBackward

The new node records ``rebased_at`` (the version ``out`` was written at) and ``former``.
The nodes that used ``out`` *before* the change still hold the tensor object ``out``; they
recorded its version when they ran (``fn._versions``), so ``resolve_inputs`` swaps each such
input for the former state it really used, walking back over every in-place op applied
since. A saved value changed in place is then caught by the usual version check: the former
tensor reports the current version of the array it shares.
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor


class Former(Tensor):
    """A tensor's state before an in-place op: its array, its old grad_fn, and the version
    counter of the tensor that was changed (they share the array, so they share the count)."""
    __slots__ = ("current",)

    @property
    def _version(self) -> int:
        return self.current._version


def former_state(tensor: Tensor, private: bool) -> Tensor:
    """``tensor`` as it is now, before an in-place op rewrites it. ``private``: a copy of the
    value, for a node that reads its output where PyTorch's would not (it then never
    changes, and its version stays the one it had)."""
    fn, requires_grad = tensor.grad_fn, tensor._requires_grad
    if private:
        copy = Tensor._make(tensor.array.copy(), requires_grad, fn)
        copy._version = tensor._version
        return copy
    former = object.__new__(Former)
    former.array, former._requires_grad, former.grad_fn = tensor.array, requires_grad, fn
    former.grad, former._hooks, former._retains_grad = None, None, False
    former.current = tensor
    return former


def resolve(tensor: Tensor, version: int) -> Tensor:
    """``tensor`` as it was at ``version``: back over the in-place ops applied since."""
    fn = tensor.grad_fn
    while fn is not None and fn.rebased_at is not None and version < fn.rebased_at:
        tensor = fn.former
        fn = tensor.grad_fn
    return tensor


def resolve_inputs(fn) -> None:
    """Point ``fn.inputs`` at the states its forward used (see the module docstring)."""
    if fn.released:
        return  # nothing left to point (backward refuses a released node)
    inputs = fn.inputs
    for index, inp in enumerate(inputs):
        node = inp.grad_fn
        if node is not None and node.rebased_at is not None and \
                fn._versions[index] < node.rebased_at:
            inputs = inputs[:index] + (resolve(inp, fn._versions[index]),) + inputs[index + 1:]
    fn.inputs = inputs


def is_view_of_input(tensor: Tensor) -> bool:
    """True if ``tensor``'s array shares memory with an input of the op that made it (a
    reshape, a slice, a transpose): changing it in place would change that input too."""
    fn = tensor.grad_fn
    while fn is not None and fn.rebased_at is not None:  # shares the array with its former
        fn = fn.former.grad_fn                            # states by design: look past them
    return fn is not None and any(np.may_share_memory(tensor.array, inp.array)
                                  for inp in fn.inputs)
