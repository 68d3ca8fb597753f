"""The recorder: run a step eagerly once and write down every kernel it executes.

A *slot* is a numbered place for one value; a *kernel* is a callable, the slots it reads
and the slots it writes. Three kinds of kernel are recorded, forward and backward alike
(a backward formula is itself a sequence of primitives):

- every ``Function.forward`` (a primitive, on arrays), with its parameters;
- every ``hooks.kernel(function, ...)`` call (NumPy outside any primitive: masks, targets);
- the calls whose code already is plain NumPy on state that lives across steps
  (``optimizer.step``, ``zero_grad``) and the engine's hand-over of a gradient to a leaf.

A value enters a slot in one of three ways: as an argument of the step, as the output of a
kernel, or as a *constant* (anything else: parameters, optimizer objects, literals). Values
are matched by identity: the recorder holds the constants, and computed arrays through weak
references (so that tracing needs no more memory than the eager step: a dead array's id
may be reused, and a weak reference then tells the new array from the old).
While it records, a few entry points are patched (``patches.py``): that costs the eager
mode nothing. Anything whose effect the recording could not reproduce is refused with a
reason, and the caller then stays eager.
"""
from __future__ import annotations

import functools
import weakref

import numpy as np

from . import hooks

_UNTRACKED = (int, bool, type(None), str, np.integer, np.bool_)


class Kernel:
    """One step of a recording. ``call(*values of inputs)`` returns the value of the one
    output, a tuple of values for several, or None for none. ``key`` is what two traces of
    the same step must agree on."""
    __slots__ = ("name", "call", "inputs", "outputs", "key", "tuple_result", "function",
                 "static", "live_names", "side_names")

    def __init__(self, name, call, inputs, outputs, key, tuple_result=False):
        self.name, self.call, self.inputs, self.outputs = name, call, inputs, outputs
        self.key, self.tuple_result = key, tuple_result
        self.function = None  # the Function instance, for primitives
        self.static, self.live_names, self.side_names = {}, (), []


class Recorder:
    def __init__(self):
        self.values: list = []  # slot -> the traced value (a weak reference for arrays computed)
        self.kinds: list = []  # slot -> "argument" | "constant" | "kernel"
        # slot -> (shape, dtype, bytes it owns, the slot whose memory it views or -1 when it
        # must never be written in place) for an array, else None
        self.meta: list = []
        self.by_id: dict = {}
        self.side: dict = {}  # id(array) -> (kernel, attribute, array): a primitive's saved value
        self.kernels: list[Kernel] = []
        self.modules: list = []
        self.reason: str | None = None

    # ------------------------------------------------------------------ slots
    def new_slot(self, value, kind) -> int:
        array = isinstance(value, np.ndarray)
        self.values.append(weakref.ref(value) if array and kind == "kernel" else value)
        self.kinds.append(kind)
        if array:
            other = self.find(value)  # the same array in two slots: neither is written in place
            if other is not None and self.meta[other]:
                self.meta[other] = self.meta[other][:3] + (-1,)
            owner = -1 if other is not None else self._owner(value)
            owned = value.nbytes if value.base is None and other is None else 0
            self.meta.append((value.shape, value.dtype, owned, owner))
        else:
            self.meta.append(None)
        if not isinstance(value, _UNTRACKED):  # small ints are shared objects: never by identity
            self.by_id[id(value)] = len(self.values) - 1
        return len(self.values) - 1

    def _owner(self, array):
        """The slot of the array whose memory ``array`` views, following the chain of bases
        (a strided view's base is a wrapper around the viewed array); None for a copy."""
        base = array.base
        while base is not None:
            slot = self.find(base)
            if slot is not None:
                return slot
            base = getattr(base, "base", None)
        return None

    def value(self, slot):
        held = self.values[slot]
        return held() if isinstance(held, weakref.ref) else held

    def find(self, value):
        slot = self.by_id.get(id(value))
        return slot if slot is not None and self.value(slot) is value else None

    def tracked(self, value):
        """The slot of ``value`` if a replay computes it (a primitive's saved array included),
        else None."""
        slot = self.find(value)
        saved = self.side.get(id(value))
        if slot is None and saved is not None and saved[2]() is value:
            return self.slot(value)
        return slot

    def slot(self, value) -> int:
        """The slot holding ``value``; a value computed by no kernel becomes a constant,
        except an array a primitive saved on itself, which becomes that kernel's output."""
        slot = self.find(value)
        if slot is not None:
            return slot
        saved = self.side.pop(id(value), None)
        if saved is not None and saved[2]() is value:
            kernel, name, _ = saved
            kernel.side_names.append(name)
            kernel.outputs.append(self.new_slot(value, "kernel"))
            return kernel.outputs[-1]
        return self.new_slot(value, "constant")

    def branch(self, function, args):
        for value in args:
            slot = self.tracked(value)
            if slot is not None and self.kinds[slot] != "constant":
                self.refuse(f"a Python branch ({_name(function)}) depends on computed values")

    def compact(self):
        """Keep only what a comparison with the next recording needs (kernel keys, wiring,
        constants), so that holding this recording costs the next traced step little."""
        self.by_id, self.side, self.meta, self.modules = {}, {}, [], []
        self.values = [v if kind == "constant" else None
                       for v, kind in zip(self.values, self.kinds)]
        for kernel in self.kernels:
            kernel.function = kernel.call = None

    def refuse(self, reason: str):
        if self.reason is None:
            self.reason = reason

    # ---------------------------------------------------------------- kernels
    def function(self, fn, arrays, params, output):
        """Record a primitive. A parameter that is itself a kernel's output (an index
        computed from data) is fed anew by the replay; the others are fixed."""
        inputs = [self.slot(a) for a in arrays]
        for value in params.values():  # an index tuple holding computed arrays: built anew
            if isinstance(value, tuple) and any(self.tracked(v) is not None for v in value
                                                if isinstance(v, np.ndarray)):
                self.record(_pack, [self.slot(v) for v in value], {}, value, "pack index",
                            many=False)
        live = {name: self.tracked(v) for name, v in params.items()
                if isinstance(v, (np.ndarray, float, tuple)) and self.tracked(v) is not None}
        static = {k: v for k, v in params.items() if k not in live}
        kernel = Kernel(type(fn).__name__, None, inputs + list(live.values()),
                        [self.new_slot(output, "kernel")], (type(fn), tuple(static)))
        kernel.function, kernel.static, kernel.live_names = fn, static, tuple(live)
        self.kernels.append(kernel)
        for name, value in vars(fn).items():
            if isinstance(value, np.ndarray) and self.find(value) is None:
                self.side[id(value)] = (kernel, name, weakref.ref(value))

    def call(self, function, args, kwargs, name=None):
        """Run ``function(*args, **kwargs)`` unrecorded inside, and record it as one kernel."""
        inputs = [self.slot(a) for a in args]
        hooks.ACTIVE.recorder = None
        try:
            result = function(*args, **kwargs)
        finally:
            hooks.ACTIVE.recorder = self
        self.record(function, inputs, kwargs, result, name)
        return result

    def record(self, function, inputs, kwargs, result, name=None, many=None):
        many = isinstance(result, tuple) if many is None else many
        outputs = [] if result is None else [self.new_slot(v, "kernel")
                                             for v in (result if many else (result,))]
        owner = getattr(function, "__self__", None)
        key = (getattr(function, "__func__", function), owner, tuple(kwargs))
        call = functools.partial(function, **kwargs) if kwargs else function
        kernel = Kernel(name or _name(function), call, inputs, outputs, key, many)
        kernel.static = dict(kwargs)
        self.kernels.append(kernel)


def _pack(*items):
    return items


def _name(function) -> str:
    owner = getattr(function, "__self__", None)
    if owner is not None and not isinstance(owner, type(np)):
        return f"{type(owner).__name__}.{function.__name__}"
    return getattr(function, "__name__", type(function).__name__)
