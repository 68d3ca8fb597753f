"""The planner: turn a recording into a replay program, and explain it.

A program is a flat list of steps ``(call, input slots, output slots, slots to free)``,
generated into one straight-line Python function in which every slot is a local variable
(``source`` shows it): no Tensor, no Function, no graph walk, not even a loop.

Memory is planned by liveness: a value is dropped right after the last kernel that reads it
(eager mode keeps every saved value until the backward of its node has run), and folding
computes an elementwise result into the memory of an operand that dies there. ``explain``
shows the plan and the peak allocation of a replayed step against an eager one, measured.
"""
from __future__ import annotations

import functools

import numpy as np

from .. import ops, parallel_kernels
from ..ops._common import normalize_dims
from ..tensor import Tensor
from .recorder import Kernel, Recorder

# Elementwise primitives a replay may compute into the memory of a dead operand.
_IN_PLACE = {ops.Add: np.add, ops.Sub: np.subtract, ops.Mul: np.multiply,
             ops.ReLU: lambda a, out: np.maximum(a, 0, out=out)}

# Primitives whose forward checks its arguments before one NumPy call: the checks passed when
# traced, so a replay makes the call alone (the same call, so the same values).
_LEAN = {
    ops.Permute: lambda static, shape: functools.partial(np.transpose, axes=static["dims"]),
    ops.MatMul: lambda static, shape: np.matmul,
    ops.Sum: lambda static, shape: functools.partial(
        np.sum, axis=normalize_dims(static.get("dim"), len(shape)),
        keepdims=static.get("keepdim", False)),
}


class Program:
    def __init__(self, recorder: Recorder, arguments, result):
        self.kernels = recorder.kernels
        self.meta = recorder.meta  # (shape, dtype, bytes owned, owner) of each array
        self.kinds = recorder.kinds
        self.arguments = arguments  # [(slot, index of the argument, True for its .array)]
        self.result = result  # the output structure, with slots in place of tensors
        self.template = [v if kind == "constant" else None
                         for v, kind in zip(recorder.values, recorder.kinds)]
        self.last_use = _last_uses(self.kernels, len(self.kinds), _result_slots(result))
        self.in_place = {}  # kernel index -> the input slot whose memory it reuses
        self.steps = [(self._callable(i, k), tuple(k.inputs), _outputs(k), self._frees(i, k))
                      for i, k in enumerate(self.kernels)]
        self.replay = None  # generated at the first replay, when the traced step's memory is gone
        self.eager_peak = self.replay_peak = None  # measured bytes, when known

    def _frees(self, index, kernel: Kernel):
        """Kernel-made slots read for the last time here, or written and never read."""
        dead = [s for s in set(kernel.inputs) if self.kinds[s] == "kernel"
                and self.last_use[s] == index]
        dead += [s for s in kernel.outputs if self.last_use[s] == -1]
        return tuple(dead)

    def _callable(self, index, kernel: Kernel):
        """Folding: an elementwise primitive whose operand dies here, owns its memory, has
        the output's shape and dtype, and no live view, writes its result into it (ReLU
        into the Linear output it follows, the mask product into the backward's gradient):
        the same values, one allocation and one pass over memory fewer."""
        lean = _LEAN.get(type(kernel.function))
        if lean and not kernel.live_names and not kernel.side_names and self.meta[kernel.inputs[0]]:
            return lean(kernel.static, self.meta[kernel.inputs[0]][0])
        ufunc = _IN_PLACE.get(type(kernel.function))
        out = self.meta[kernel.outputs[0]] if kernel.outputs else None
        if ufunc is None or kernel.static or kernel.live_names or kernel.side_names or not out:
            return _callable(kernel)
        for position, slot in enumerate(kernel.inputs):
            meta = self.meta[slot]
            if (self.kinds[slot] == "kernel" and meta and meta[2] and meta[3] is None
                    and meta[:2] == out[:2] and self.last_use[slot] == index
                    and not self._has_live_view(slot, index)):
                self.in_place[index] = slot
                # On the pool when large, as the eager primitive is (the same values).
                return lambda *arrays: parallel_kernels.run(ufunc, arrays[position], *arrays)
        return _callable(kernel)

    def _has_live_view(self, slot, index) -> bool:
        return any(m and m[3] == slot and self.last_use[s] > index
                   for s, m in enumerate(self.meta))

    # --------------------------------------------------------------------- replay
    def prepare(self):
        if self.replay is None:
            self.replay = self._generate()

    def run(self, args):
        return self.replay(args)

    def _generate(self):
        """The program as one straight-line Python function, each slot a local variable:
        no loop, no list of slots, and ``del`` where liveness says a value dies."""
        env = {"_build": _build, "_result": self.result}
        lines = ["def replay(args):"]
        for slot, index, data in self.arguments:
            lines.append(f"    s{slot} = args[{index}]{'.array' if data else ''}")
        for i, (call, inputs, outputs, frees) in enumerate(self.steps):
            env[f"k{i}"] = call
            for slot in inputs:
                if self.kinds[slot] == "constant":
                    env[f"c{slot}"] = self.template[slot]
            target = ""
            if type(outputs) is int:
                target = f"s{outputs} = "
            elif outputs is not None:
                target = "".join(f"s{slot}, " for slot in outputs) + "= "
            lines.append(f"    {target}k{i}({', '.join(self._name(s) for s in inputs)})")
            if frees:
                lines.append(f"    del {', '.join(f's{slot}' for slot in frees)}")
        returned = _result_slots(self.result)
        for slot in returned:
            if self.kinds[slot] == "constant":
                env[f"c{slot}"] = self.template[slot]
        lines.append("    return _build(_result, {"
                     + ", ".join(f"{slot}: {self._name(slot)}" for slot in returned) + "})")
        self.source = "\n".join(lines)
        exec(self.source, env)  # noqa: S102  (our own generated code, from the recording)
        return env["replay"]

    def _name(self, slot) -> str:
        return f"c{slot}" if self.kinds[slot] == "constant" else f"s{slot}"

    # -------------------------------------------------------------------- explain
    def planned_peak(self) -> int:
        """Bytes of kernel-made arrays alive at once during a replay (views count nothing)."""
        alive, peak = 0, 0
        for (_, _, _, frees), kernel in zip(self.steps, self.kernels):
            alive += sum(self._bytes(s) for s in kernel.outputs)
            peak = max(peak, alive)
            # An array held elsewhere too (a gradient handed to its leaf) outlives its slot.
            alive -= sum(self._bytes(s) for s in frees if self.meta[s] and self.meta[s][3] != -1)
        return peak

    def _label(self, slot) -> str:
        if self.kinds[slot] != "constant":
            return f"%{slot}"
        value = self.template[slot]
        # Arrays bigger than a scalar, and tensors (a leaf receiving its gradient).
        return f"${slot}" if isinstance(value, Tensor) or (self.meta[slot] and self.meta[slot][0]) \
            else ""

    def _bytes(self, slot) -> int:
        return self.meta[slot][2] if self.meta[slot] else 0

    def explain(self) -> str:
        lines = [f"{len(self.kernels)} kernels, {len(self.kinds)} slots "
                 f"({self.kinds.count('kernel')} computed, {self.kinds.count('constant')} "
                 f"constant, {self.kinds.count('argument')} arguments)",
                 "%n: a value of the step; $n: a parameter, a tensor receiving its gradient "
                 "or another value that lives on", "",
                 f"{'#':>4s}  {'kernel':28s} {'reads':24s} {'writes':30s} frees"]
        for i, (kernel, step) in enumerate(zip(self.kernels, self.steps)):
            reads = " ".join(self._label(s) for s in kernel.inputs if self._label(s))
            writes = " ".join(f"%{s}{_describe(self.meta[s])}" for s in kernel.outputs)
            frees = " ".join(f"%{s}" for s in step[3])
            if i in self.in_place:
                writes += f" (into %{self.in_place[i]})"
            lines.append(f"{i:4d}  {kernel.name:28s} {reads:24s} {writes:30s} {frees}")
        computed = [s for s, kind in enumerate(self.kinds) if kind == "kernel"]
        total = sum(self._bytes(s) for s in computed)
        lines += ["", f"buffers: {len(computed)} computed values, {_mb(total)} if all were "
                      f"kept; live at once (liveness plan): {_mb(self.planned_peak())}"]
        if self.eager_peak is not None and self.replay_peak is not None:
            lines.append(f"measured peak allocation of one step: eager {_mb(self.eager_peak)}, "
                         f"replay {_mb(self.replay_peak)}")
        return "\n".join(lines)


def _callable(kernel: Kernel):
    """The kernel's call with everything fixed bound in: for a primitive, its forward on the
    traced instance (so the attributes its forward saves are refreshed by every replay)."""
    if kernel.function is None:
        return kernel.call
    forward, static = kernel.function.forward, kernel.static
    live, side, state = kernel.live_names, tuple(kernel.side_names), vars(kernel.function)
    if not live and not side:
        return (lambda *arrays: forward(*arrays, **static)) if static else forward
    count = len(kernel.inputs) - len(live)

    def run(*values):
        out = forward(*values[:count], **static, **dict(zip(live, values[count:])))
        return (out,) + tuple(state[name] for name in side) if side else out
    return run


def _outputs(kernel: Kernel):
    if not kernel.outputs:
        return None
    if len(kernel.outputs) == 1 and not kernel.tuple_result:
        return kernel.outputs[0]
    return tuple(kernel.outputs)


def _last_uses(kernels, count, keep):
    last = [-1] * count
    for i, kernel in enumerate(kernels):
        for s in kernel.inputs:
            last[s] = i
    for s in keep:
        last[s] = len(kernels)  # returned: never freed
    return last


def _result_slots(result):
    if isinstance(result, tuple) and len(result) == 2 and result[0] == "slot":
        return [result[1]]
    if isinstance(result, list):
        return [s for item in result for s in _result_slots(item)]
    return []


def _build(result, slots):
    """The step's return value: tensors made from the slots, in the traced structure."""
    if isinstance(result, tuple) and len(result) == 2 and result[0] == "slot":
        return Tensor._make(slots[result[1]], False, None)
    if isinstance(result, list):
        kind, items = result[0], result[1:]
        return kind(_build(item, slots) for item in items)
    return result[1]


def _describe(meta) -> str:
    return "" if meta is None else f"{list(meta[0])}{meta[1].name.replace('float', 'f')}"


def _mb(size: int) -> str:
    return f"{size / 2 ** 20:.2f} MB"
