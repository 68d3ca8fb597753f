"""``minigrad.compile``: trace a step on its first calls, then replay it.

For each *signature* (the arguments' shapes, dtypes and requires_grad, the other
arguments' values, grad mode, and the train/eval mode of every module the step called) the
compiled function

1. runs the step eagerly and records it (first call);
2. runs it eagerly and records it again (second call), and compares the two recordings:
   the same kernels in the same order, and every value that came from outside the
   recording the same object (a parameter, an optimizer) or an equal constant. A value that
   differs was computed by code the recorder cannot see (NumPy on a tensor's data, a
   Python branch on a value), so replaying it would be wrong: the signature stays eager,
   with a warning that says why;
3. runs it eagerly once more without recording, to measure its peak memory (first steps
   allocate the optimizer's state, so the first call would not be typical);
4. replays the plan from then on.

The eager calls are real steps, so nothing is wasted. Anything the recorder refuses
(``.item()`` inside the step, hooks, anomaly mode, create_graph) also keeps the signature
eager, with one warning per reason.
"""
from __future__ import annotations

import functools
import os
import sys
import tracemalloc
import warnings

import numpy as np

from ..grad_mode import _grad_mode
from ..tensor import Tensor
from . import hooks
from .patches import recording
from .planner import Program
from .recorder import Recorder


def compile(fn):  # noqa: A001  (PyTorch's name)
    """Compile ``fn`` (a training step, or any function of tensors) into a static graph.

    Returns a callable with ``fn``'s signature; ``.explain()`` describes the plan of the
    last replayed signature. Returned tensors carry no graph.
    """
    return CompiledFunction(fn)


class CompiledFunction:
    def __init__(self, fn):
        self.fn = fn
        self.entries: dict = {}  # signature -> list of entries (one per set of module modes)
        self.last = None
        self._warned: set = set()
        functools.update_wrapper(self, fn)

    def __call__(self, *args, **kwargs):
        if hooks.ACTIVE.recorder is not None:
            # Called inside another compiled function's trace: run the ops, so that the
            # outer recording sees them (a replay of ours would bypass its recorder).
            return self.fn(*args, **kwargs)
        key = _signature(args, kwargs)
        if key is None:
            self._warn("an argument is an array, a keyword tensor or an unhashable value "
                       "(pass tensors positionally)")
            return self.fn(*args, **kwargs)
        entry = self._find(key)
        if entry is None:
            entry = _Entry()
            self.entries.setdefault(key, []).append(entry)
        if entry.program is not None:
            self.last = entry
            if not entry.replayed:
                entry.replayed = True
                entry.program.prepare()
                result, entry.program.replay_peak = _measured(entry.program.run, args)
                return result
            return entry.program.run(args)
        if entry.reason is not None:
            return self.fn(*args, **kwargs)
        if entry.confirmed is not None:  # one plain eager step, its memory measured, then replay
            result, entry.eager_peak = _measured(self.fn, *args, **kwargs)
            entry.program, entry.confirmed = entry.confirmed, None
            entry.program.eager_peak = entry.eager_peak
            return result
        return self._trace(entry, args, kwargs)

    def _find(self, key):
        for entry in self.entries.get(key, ()):
            if all(m.training == mode for m, mode in entry.modes):
                return entry
        return None

    def _trace(self, entry, args, kwargs):
        recorder = Recorder()
        arguments = []
        for index, value in enumerate(args):
            if isinstance(value, Tensor):
                arguments.append((recorder.new_slot(value, "argument"), index, False))
                arguments.append((recorder.new_slot(value.array, "argument"), index, True))
        second = entry.first is not None
        with recording(recorder):
            result = self.fn(*args, **kwargs)
        structure = _structure(result, recorder)
        for slot, kind in enumerate(recorder.kinds):  # the arguments are the caller's to keep
            if kind == "argument":
                recorder.values[slot] = None
        entry.modes = [(m, m.training) for m in recorder.modules]
        if recorder.reason is None and not second:
            entry.first = recorder
            recorder.compact()
        elif recorder.reason is None:
            mismatch = _compare(entry.first, recorder)
            if mismatch is None:
                entry.confirmed = Program(recorder, arguments, structure)
            else:
                recorder.refuse(mismatch)
            entry.first = None
        if recorder.reason is not None:
            entry.reason, entry.first = recorder.reason, None
            self._warn(recorder.reason)
        return result

    def _warn(self, reason):
        if reason not in self._warned:
            self._warned.add(reason)
            warnings.warn(f"minigrad.compile: running {getattr(self.fn, '__name__', 'the step')} "
                          f"eagerly: {reason}", RuntimeWarning, stacklevel=_user_stacklevel())

    def explain(self, file=None) -> None:
        """Print the kernels, buffers and memory of the most recently replayed signature
        (to ``file``, default stdout)."""
        text = ("nothing replayed yet: a step is run eagerly on its first three calls"
                if self.last is None else self.last.program.explain())
        print(text, file=file)


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside minigrad, counted from the caller of
    ``warnings.warn``: the warning then names the user's line that called the step (or the
    Trainer), not a line of minigrad, however deep inside minigrad it was decided."""
    frame, level = sys._getframe(2), 2  # the caller of the function that calls warn
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
            _PACKAGE + os.sep):
        frame, level = frame.f_back, level + 1
    return level


def _measured(function, *args, **kwargs):
    """``function``'s result and the peak bytes it allocated, or None when someone else is
    already tracing allocations (a benchmark): their measurement is not disturbed."""
    if tracemalloc.is_tracing():
        return function(*args, **kwargs), None
    tracemalloc.start()
    try:
        result = function(*args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class _Entry:
    def __init__(self):
        self.first = None  # the first recording, until the second confirms it
        self.program = None
        self.reason = None
        self.modes = []
        self.confirmed = None  # the program, before the eager step that measures memory
        self.eager_peak = None
        self.replayed = False


def _signature(args, kwargs):
    parts = [_grad_mode.enabled]
    for value in kwargs.values():
        if isinstance(value, (Tensor, np.ndarray)):
            return None  # only positional tensors are fed anew to a replay
    for value in list(args) + sorted(kwargs.items()):
        if isinstance(value, Tensor):
            parts.append(("tensor", value.shape, value.dtype.str, value.requires_grad))
        elif isinstance(value, np.ndarray):
            return None  # a raw array would be frozen into the plan: not supported
        else:
            try:
                hash(value)
            except TypeError:
                return None
            parts.append(("value", type(value), value))
    return tuple(parts)


def _structure(result, recorder):
    """The return value with slots in place of tensors; a tensor that still requires grad
    cannot be replayed (its graph would be missing)."""
    if isinstance(result, Tensor):
        # A tensor whose graph a backward of the step has already consumed (the loss, the
        # logits) has no graph left to use: eagerly, a second backward through it fails. Its
        # value is all a caller can read, and a replay returns that value.
        consumed = result.grad_fn is not None and result.grad_fn.released
        if result.requires_grad and not consumed:
            recorder.refuse("the step returns a tensor that requires grad and whose graph no "
                            "backward() inside the step consumed (a replay returns no graph); "
                            "return it detached, or call backward() on it inside the step")
        return ("slot", recorder.slot(result.array))
    if isinstance(result, (tuple, list)):
        return [type(result)] + [_structure(item, recorder) for item in result]
    if isinstance(result, np.ndarray):
        return ("slot", recorder.slot(result))
    return ("const", result)


def _compare(first: Recorder, second: Recorder):
    """None when two recordings describe the same static step, else the reason why not."""
    if len(first.kernels) != len(second.kernels) or len(first.values) != len(second.values):
        return (f"the step ran {len(first.kernels)} kernels on one call and "
                f"{len(second.kernels)} on the next (a Python branch on values?)")
    for a, b in zip(first.kernels, second.kernels):
        if a.key != b.key or a.inputs != b.inputs or a.outputs != b.outputs:
            return f"{b.name} ran differently on two calls (a Python branch on values?)"
        if not _same_params(a.static, b.static):
            names = [k for k in b.static if not _same_params({k: a.static.get(k)},
                                                             {k: b.static[k]})]
            return (f"{b.name} got a different {', '.join(names)} on two calls: a value "
                    "computed outside minigrad's ops (wrap that code in "
                    "minigrad.static.hooks.kernel)")
    for slot, (kind, x, y) in enumerate(zip(second.kinds, first.values, second.values)):
        x, y = first.value(slot), second.value(slot)
        if kind != first.kinds[slot]:
            return "the kernels were wired differently on two calls"
        if kind == "constant" and not _same_constant(x, y):
            user = next((k.name for k in second.kernels if slot in k.inputs), "the result")
            return (f"{user} read a value computed outside minigrad's ops that changed "
                    f"between two calls ({_what(y)}); wrap that code in "
                    "minigrad.static.hooks.kernel(...)")
    return None


def _same_constant(x, y) -> bool:
    if x is y:
        return True
    if isinstance(x, np.ndarray) and isinstance(y, np.ndarray):
        if x.base is not None and x.base is y.base:
            return True  # views of one long-lived array: they see its updates
        return x.shape == y.shape and x.dtype == y.dtype and np.array_equal(x, y)
    if isinstance(x, Tensor) or isinstance(y, Tensor):
        return False
    return type(x) is type(y) and _same_params({"v": x}, {"v": y})


def _same_params(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray)
                    and x.shape == y.shape and np.array_equal(x, y)):
                return False
        elif isinstance(x, tuple) and isinstance(y, tuple):
            if len(x) != len(y) or not _same_params(dict(enumerate(x)), dict(enumerate(y))):
                return False
        elif x is not y and x != y:
            return False
    return True


def _what(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"
