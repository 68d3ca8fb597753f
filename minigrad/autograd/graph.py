"""The graph as PyTorch shows it: ``grad_fn.name()`` and ``grad_fn.next_functions``.

minigrad's engine needs neither; they exist so that a learner can walk the graph the way
PyTorch's tutorials do (``loss.grad_fn.next_functions[0][0]``).
"""
from __future__ import annotations


class NodeName(str):
    """A node's name, readable both as ``fn.name`` (minigrad) and ``fn.name()`` (PyTorch)."""

    def __call__(self) -> str:
        return str(self)


class AccumulateGrad:
    """Where a leaf's gradient ends up (its ``.grad``), as ``next_functions`` shows it."""

    def __init__(self, variable):
        self.variable = variable
        self.next_functions = ()

    def name(self) -> str:
        return "AccumulateGrad"

    def __repr__(self):
        return "<AccumulateGrad>"


def next_functions(fn) -> tuple:
    """For each input of node ``fn``: ``(its grad_fn, 0)``; a leaf that requires grad gives an
    ``AccumulateGrad`` and a constant gives ``None`` (PyTorch's convention). A node released
    by backward answers with the structure it recorded then."""
    sources = fn._released_inputs if fn.released else released_inputs(fn)
    return tuple((grad_fn if grad_fn is not None else
                  AccumulateGrad(leaf) if leaf is not None else None, 0)
                 for grad_fn, leaf in sources)


def released_inputs(fn) -> tuple:
    """(grad_fn, leaf that requires grad or None) per input of ``fn``: what next_functions
    needs, and all a node keeps of its inputs once backward has released it."""
    from .rebase import resolve_inputs  # the inputs as they were when fn ran
    resolve_inputs(fn)
    return tuple((inp.grad_fn, inp if inp.grad_fn is None and inp.requires_grad else None)
                 for inp in fn.inputs)
