"""Compiled rows for the benchmark table: the MLP (and MLP-BN, CNN) with ``minigrad.compile``,
and the engine's overhead per replayed kernel."""
import time

import numpy as np

import minigrad as mg
from minigrad import nn

from .workloads import MinigradCNN, MinigradMLP


class _Compiled:
    """A workload whose step is ``minigrad.compile``d: forward, loss, backward, update."""

    def _compile(self):
        model, optimizer = self.model, self.optimizer

        def step(x, y):
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            return loss.detach()
        self.step = mg.compile(step)

    def epoch(self, max_batches=None):
        for index, (x, y) in enumerate(self.loader):
            if index == max_batches:
                break
            self.step(x, y)


class CompiledMLP(_Compiled, MinigradMLP):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compile()


class CompiledCNN(_Compiled, MinigradCNN):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compile()


def add_workloads(workloads, images, labels, fraction):
    """Insert a compiled row after every eager minigrad MLP / CNN row."""
    rows = {}
    for name, workload in workloads.items():
        rows[name] = workload
        if name.startswith("minigrad  MLP"):
            optimizer, batch = name.split()[-2], int(name.split()[-1][1:])
            rows[name.replace("minigrad ", "compiled ")] = CompiledMLP(
                images, labels, optimizer, batch, batchnorm="BN" in name, fraction=fraction)
        elif name.startswith("minigrad  CNN"):
            rows[name.replace("minigrad ", "compiled ")] = CompiledCNN(
                images.reshape(-1, 1, 28, 28), labels, 128, fraction)
    return rows


def per_kernel_microseconds(repeats=2000) -> float:
    """Replay overhead per kernel: a compiled chain of 100 adds on 1-element tensors, whose
    NumPy work is negligible, minus the same adds done directly in NumPy."""
    x = mg.tensor(np.ones(1, dtype=np.float32))

    def chain(t):
        for _ in range(100):
            t = t + 1.0
        return t
    compiled = mg.compile(chain)
    for _ in range(4):
        compiled(x)
    kernels = len(compiled.last.program.steps)
    start = time.perf_counter()
    for _ in range(repeats):
        compiled(x)
    replay = (time.perf_counter() - start) / repeats
    a, one = x.data, np.ones((), dtype=np.float32)
    start = time.perf_counter()
    for _ in range(repeats):
        b = a
        for _ in range(100):
            b = b + one
    direct = (time.perf_counter() - start) / repeats
    return (replay - direct) / kernels * 1e6
