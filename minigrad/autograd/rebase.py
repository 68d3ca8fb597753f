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

Views: a view op (slice, reshape, transpose) of a graph tensor registers its output with
its input (``register_view``). When the input is changed in place where a live view sees
it, the view is rebased too (``refresh_views``): it becomes the same view of the input's new
state, and its version moves on, so a value saved from it is refused as in PyTorch, whose
views share their base's version counter. (An in-place op *on* a view is made to its base:
see ``tensor/inplace.py``.)
"""
from __future__ import annotations

import weakref

import numpy as np

from ..tensor import Tensor


class Former(Tensor):
    """A tensor's state before an in-place op: its array, its old grad_fn, and the version
    counter of the tensor that was changed (they share the array, so they share the count).

    The changed tensor is held weakly: it holds this state through its grad_fn, and a cycle
    would keep every activation of a step alive until the cyclic garbage collector runs.
    Whoever can still reach this state holds the tensor too (a node that used it, see
    ``resolve_inputs``), so the reference is alive whenever the version is read."""
    __slots__ = ("current",)

    @property
    def _version(self) -> int:
        return self.current()._version


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
    former.current = weakref.ref(tensor)
    return former


def current(tensor: Tensor) -> Tensor:
    """The live tensor behind a former state (a node's input may have been resolved)."""
    return tensor.current() if isinstance(tensor, Former) else tensor


def rebase(tensor: Tensor, node, former: Tensor) -> None:
    """Make ``node`` (whose output holds the values ``tensor`` now has) ``tensor``'s history,
    with ``former`` as its state before; the version was bumped by the write. Hooks
    registered so far stay with the former state (they see its gradient, as in PyTorch);
    retain_grad stays with the tensor."""
    node.rebased_at = node._output_version = tensor._version
    node.former = former
    former._hooks, tensor._hooks = tensor._hooks, None
    tensor.grad_fn, tensor._requires_grad = node, True


def reads_former(result: Tensor, former: Tensor, operands) -> bool:
    """Whether an op between ``former`` (and ``operands``) and ``result`` saved the value of
    ``former``, which the in-place write is about to change. Walks only the ops the in-place
    computation made: it stops at ``former``, at the operands and at constants."""
    stop = {id(former)} | {id(o) for o in operands if isinstance(o, Tensor)}
    stack, seen = [result], set()
    while stack:
        tensor = stack.pop()
        fn = tensor.grad_fn
        if fn is None or id(tensor) in seen:
            continue
        seen.add(id(tensor))
        saved = fn.saved_values()[0]
        for index, inp in enumerate(fn.inputs):
            if inp is former and index in saved:
                return True
            if id(inp) not in stop:
                stack.append(inp)
    return False


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
    if inputs is not fn.inputs:
        fn.changed_inputs = fn.inputs  # keeps the changed tensors (and their versions) alive
        fn.inputs = inputs


# ---------------------------------------------------------------------------- views
def view_node(tensor: Tensor):
    """The node that made ``tensor`` if its array shares memory with one of that node's
    inputs (a slice, a reshape, a transpose: changing it in place changes that input
    too), else None."""
    fn = tensor.grad_fn
    while fn is not None and fn.rebased_at is not None and not fn.is_view:
        fn = fn.former.grad_fn  # shares the array with its former states by design
    if fn is not None and any(np.may_share_memory(tensor.array, inp.array) for inp in fn.inputs):
        return fn
    return None


def register_view(base: Tensor, view: Tensor) -> None:
    """Remember (weakly) that ``view`` is a view of ``base``, if its array really is one."""
    if np.may_share_memory(view.array, base.array):
        _append_view(base, view)


def _append_view(base: Tensor, view: Tensor) -> None:
    views = getattr(base, "_views", None)
    if views is None:
        base._views = views = []
    elif len(views) >= 16 and not len(views) & (len(views) - 1):
        # A long-lived base (a parameter sliced at every step) would collect dead references
        # forever: drop them whenever the list doubles (amortised O(1)).
        views[:] = [ref for ref in views if ref() is not None]
    views.append(weakref.ref(view))


def link_detached(source: Tensor, detached: Tensor) -> None:
    """``detached = source.detach()``: a change of either in place moves the other's version
    on (PyTorch's detach shares the version counter), so a value saved from one and changed
    through the other is refused."""
    _append_view(source, detached)
    detached._detached_from = weakref.ref(source)


def refresh_views(base: Tensor, region: np.ndarray, recorded: bool, skip=None) -> None:
    """``base`` was changed in place in ``region`` (an array viewing the changed elements):
    each live view of it that sees the change moves to a new version and, when the change
    was recorded in the graph, becomes the same view of ``base``'s new state. ``skip``: the
    view whose own change this is (already counted)."""
    views = getattr(base, "_views", None)
    if not views:
        return
    alive, base._views = [], []  # (replay below registers short-lived views of its own)
    for ref in views:
        view = ref()
        if view is None:
            continue
        alive.append(ref)
        if view is skip or not _overlap(view.array, region):
            continue
        if recorded and view.grad_fn is not None and view.grad_fn.is_view:
            former = former_state(view, False)
            node = view.grad_fn.replay(base).grad_fn  # the values are already in place
            view._version += 1
            rebase(view, node, former)
        else:
            view._version += 1
        refresh_views(view, region, recorded)  # views of the view
    base._views = alive + [ref for ref in base._views if ref() is not None]


def _overlap(view: np.ndarray, region: np.ndarray) -> bool:
    try:
        return bool(np.shares_memory(view, region, max_work=100_000))
    except np.exceptions.TooHardError:  # pragma: no cover (strides too tangled to tell)
        return True
