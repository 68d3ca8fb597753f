"""The entry points the recorder watches while a step is traced, patched for the duration
of the trace only (``recording``), so that eager mode pays nothing for them:

- ``Function.apply`` and the engine's ``_accumulate_leaf``: recorded;
- ``optimizer.step`` / ``zero_grad`` and ``Module.zero_grad``: recorded as one call each;
- ``Module.__call__``: the modules whose train/eval mode the plan depends on;
- reads of values (``.item()``, ...), hooks, in-place tensor methods, and writes to
  ``.data`` (the array) / ``.grad``: refused, since a replay would not repeat them.
"""
from __future__ import annotations

import contextlib
import functools

import numpy as np

from ..autograd import engine
from ..autograd.engine import Function, _any_requires_grad
from ..grad_mode import _anomaly_mode, _grad_mode
from ..autograd.checks import check_inputs_are_tensors
from ..tensor import Tensor
from . import hooks
from .recorder import Recorder

_original_apply = Function.__dict__["apply"]
_original_accumulate = engine._accumulate_leaf


def _traced_apply(cls, *inputs, **params):
    """``Function.apply`` while tracing: the same steps as the engine's, plus the record."""
    recorder = hooks.ACTIVE.recorder
    if recorder is None:  # inside an opaque call (an optimizer step): not recorded
        return _original_apply.__func__(cls, *inputs, **params)
    # The engine checks this on its error path only; a trace can afford it always.
    check_inputs_are_tensors(cls, inputs)
    fn = cls()
    arrays = [t.array for t in inputs]
    try:
        output = fn.forward(*arrays, **params)
    except ValueError as error:
        raise ValueError(f"{cls.__name__}: {error}") from None
    recorder.function(fn, arrays, params, output)
    if _grad_mode.enabled and _any_requires_grad(inputs):
        for t in inputs:
            if t._hooks:
                recorder.refuse("a tensor hook (register_hook) would run inside the step")
        fn.inputs = inputs
        fn.needs_input_grad = tuple(t.requires_grad for t in inputs)
        fn._versions = tuple([t._version for t in inputs])
        return Tensor._make(output, True, fn)
    return Tensor._make(output, False, None)


def accumulate_grad(leaf, data, copy):
    """The engine's ``_accumulate_leaf`` without create_graph, as a replay runs it."""
    if copy:
        data = np.array(data, order="C")
    leaf.grad = (Tensor._make(data, False, None) if leaf.grad is None
                 else Tensor._make(leaf.grad.array + data, False, None))
    return leaf.grad.array  # a value of the recording: the step may return it


def _traced_accumulate(leaf, grad, create_graph, handed_to_leaves):
    recorder = hooks.ACTIVE.recorder
    if recorder is None:
        return _original_accumulate(leaf, grad, create_graph, handed_to_leaves)
    if create_graph:
        recorder.refuse("backward(create_graph=True) builds a graph a replay would not")
    if leaf._hooks:
        recorder.refuse("a tensor hook (register_hook) would run inside the step")
    data = grad.array
    # The same decision as the engine's, taken once: it depends on the layout, not on values.
    copy = bool(data.base is not None or id(data) in handed_to_leaves
                or not data.flags.writeable or not data.flags.c_contiguous)
    inputs = [recorder.slot(leaf), recorder.slot(data)]
    hooks.ACTIVE.recorder = None  # the engine's own write of .grad: recorded just below
    try:
        _original_accumulate(leaf, grad, create_graph, handed_to_leaves)
    finally:
        hooks.ACTIVE.recorder = recorder
    recorder.record(accumulate_grad, inputs, {"copy": copy}, leaf.grad.array, "accumulate grad")
    shape, dtype, owned, _ = recorder.meta[-1]
    recorder.meta[-1] = (shape, dtype, owned, -1)  # the leaf holds it: never written in place


def _opaque(method):
    """A method whose body is NumPy on long-lived state: replayed as one call."""
    @functools.wraps(method)
    def traced(self, *args, **kwargs):
        recorder = hooks.ACTIVE.recorder
        if recorder is None:
            return method(self, *args, **kwargs)
        if args and args[0] is not None or kwargs.get("closure") is not None:
            if method.__name__ == "step":
                recorder.refuse("optimizer.step(closure) re-evaluates the model inside a call")
        return recorder.call(method, (self,) + args, kwargs,
                             f"{type(self).__name__}.{method.__name__}")
    return traced


def _refusing(method, reason):
    @functools.wraps(method)
    def traced(self, *args, **kwargs):
        if hooks.ACTIVE.recorder is not None:
            hooks.ACTIVE.recorder.refuse(reason)
        return method(self, *args, **kwargs)
    return traced


def _module_call(method):
    @functools.wraps(method)
    def traced(self, *args, **kwargs):
        recorder = hooks.ACTIVE.recorder
        if recorder is not None:
            if all(m is not self for m in recorder.modules):
                recorder.modules.append(self)
            if self._forward_hooks or self._forward_pre_hooks:
                recorder.refuse(f"{type(self).__name__} has forward hooks")
        return method(self, *args, **kwargs)
    return traced


def _guarded(member, what):
    """A tensor's ``array`` or ``grad`` slot, refusing (while tracing) a write that no kernel
    records: a replay would not repeat it (clip_grad_norm_, ``p.data -= lr * p.grad.data``)."""
    def get(self):
        return member.__get__(self, Tensor)

    def set_(self, value):
        recorder = hooks.ACTIVE.recorder
        if recorder is not None:
            try:
                old = member.__get__(self, Tensor)
            except AttributeError:  # a tensor being made: nothing is replaced
                old = None
            if what == ".grad" and value is None and _made(self):  # p.grad = None: replayed
                recorder.record(clear_grad, [recorder.slot(self)], {}, None, "clear grad")
            elif old is not None or (value is not None and what == ".grad"):
                recorder.refuse(f"a tensor's {what} was set inside the step by code outside "
                                "minigrad's ops (wrap it in minigrad.static.hooks.kernel)")
        member.__set__(self, value)
    return property(get, set_)


def _made(tensor) -> bool:
    """False while a tensor is being constructed (its slots are set one by one)."""
    try:
        tensor._version
    except AttributeError:
        return False
    return True


def clear_grad(tensor):
    """``tensor.grad = None``, as a replay does it."""
    tensor.grad = None


_READS = {"item": ".item()", "tolist": ".tolist()", "numpy": ".numpy()",
          "__float__": "float(tensor)", "__int__": "int(tensor)", "__bool__": "a tensor in an if",
          "__array__": "np.asarray(tensor)", "__repr__": "printing a tensor"}


def _patches():
    """(owner, attribute, replacement) for every entry point the recorder watches."""
    from ..nn.module import Module
    from ..optim.optimizer import Optimizer
    found = [(Function, "apply", classmethod(_traced_apply)),
             (engine, "_accumulate_leaf", _traced_accumulate)]
    for base, names in ((Optimizer, ("step", "zero_grad")), (Module, ("zero_grad",))):
        for cls in _with_subclasses(base):
            found += [(cls, n, _opaque(cls.__dict__[n])) for n in names if n in cls.__dict__]
    found.append((Module, "__call__", _module_call(Module.__call__)))
    for name, what in _READS.items():
        found.append((Tensor, name, _refusing(getattr(Tensor, name),
                                              f"{what} inside the step reads a value")))
    for name in ("register_hook", "retain_grad"):
        found.append((Tensor, name, _refusing(getattr(Tensor, name), f"tensor.{name}()")))
    found += [(Tensor, "array", _guarded(_class_attribute(Tensor, "array"), ".data")),
              (Tensor, "grad", _guarded(_class_attribute(Tensor, "grad"), ".grad"))]
    for name in ("_write", "__setitem__"):  # every in-place method ends in one of them
        found.append((Tensor, name, _refusing(getattr(Tensor, name),
                                              "an in-place tensor operation")))
    return found


_INHERITED = object()


def _class_attribute(cls, name):
    """``name`` as ``cls`` defines or inherits it, without the descriptor protocol."""
    return next(vars(c)[name] for c in cls.__mro__ if name in vars(c))


def _with_subclasses(cls):
    stack, seen = [cls], []
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.append(current)
            stack.extend(current.__subclasses__())
    return seen


@contextlib.contextmanager
def recording(recorder: Recorder):
    """Patch the entry points and make ``recorder`` the active one; undo both on exit."""
    if hooks.ACTIVE.recorder is not None:
        raise RuntimeError("minigrad.compile: a compiled function called another one while it "
                           "was being traced; compile the outer one only")
    if _anomaly_mode.enabled:
        recorder.refuse("anomaly detection mode is on")
    patches = _patches()
    # What the owner itself defines (restored), or _INHERITED (the patch is deleted again).
    saved = [(owner, name, vars(owner).get(name, _INHERITED)) for owner, name, _ in patches]
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)
    hooks.ACTIVE.recorder = recorder
    try:
        yield recorder
    finally:
        hooks.ACTIVE.recorder = None
        for owner, name, original in saved:
            if original is _INHERITED:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
