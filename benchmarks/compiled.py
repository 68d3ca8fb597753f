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

        def step(x, y):  # the usual step, returning its loss (a replay returns the value)
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            return loss
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
    a, one = x.array, np.ones((), dtype=np.float32)
    start = time.perf_counter()
    for _ in range(repeats):
        b = a
        for _ in range(100):
            b = b + one
    direct = (time.perf_counter() - start) / repeats
    return (replay - direct) / kernels * 1e6


def step_medians(batch_size, optimizer="adam", steps=400, with_torch=True):
    """Median seconds per training step of the hand-written NumPy MLP, eager minigrad,
    compiled minigrad and (when installed) PyTorch, interleaved step by step: a slow moment
    of a shared machine then hits every side alike, and the median ignores it."""
    from .numpy_mlp import NumpyAdam, NumpyMLP, NumpyMomentum
    from .workloads import TorchMLP, initial_weights, mnist_arrays
    images, labels = mnist_arrays()
    eager = MinigradMLP(images, labels, optimizer, batch_size, fraction=0.05)
    compiled = CompiledMLP(images, labels, optimizer, batch_size, fraction=0.05)
    reference = NumpyMLP(initial_weights())
    reference_optimizer = (NumpyAdam if optimizer == "adam" else NumpyMomentum)(
        reference.flat_params)
    batches = [b for b in compiled.loader if len(b[1]) == batch_size]

    def eager_step(x, y):
        loss = nn.functional.cross_entropy(eager.model(x), y)
        eager.optimizer.zero_grad()
        loss.backward()
        eager.optimizer.step()

    def numpy_step(x, y):
        reference.loss_and_grads(x.array, y.array)
        reference_optimizer.step(reference.flat_grads)
    sides = {"numpy": numpy_step, "eager": eager_step, "compiled": compiled.step}
    if with_torch:
        torch_mlp = TorchMLP(images, labels, optimizer, batch_size, fraction=0.01)
        torch = torch_mlp.torch

        def torch_step(x, y, model=torch_mlp.model, opt=torch_mlp.optimizer):
            loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(x.array)),
                                                     torch.from_numpy(y.array))
            opt.zero_grad()
            loss.backward()
            opt.step()
        sides["torch"] = torch_step
    times = {name: [] for name in sides}
    for index in range(steps + 10):
        x, y = batches[index % len(batches)]
        for name, step in sides.items():
            start = time.perf_counter()
            step(x, y)
            if index >= 10:  # after the traces and warm-up
                times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def main():
    try:
        import torch
        torch.set_num_threads(1)
        with_torch = True
    except ImportError:
        with_torch = False
    for optimizer in ("adam", "momentum"):
        for batch in (32, 128):
            m = step_medians(batch, optimizer, with_torch=with_torch)
            ratios = "  ".join(f"{k}/numpy {v / m['numpy']:.2f}" for k, v in m.items()
                               if k != "numpy")
            torch_ratio = (f"  compiled/torch {m['compiled'] / m['torch']:.2f}"
                           if "torch" in m else "")
            print(f"MLP {optimizer} b{batch}: numpy {m['numpy'] * 1e3:.2f} ms/step  {ratios}"
                  f"{torch_ratio}", flush=True)
    print(f"replay overhead: {per_kernel_microseconds():.2f} us per kernel")


if __name__ == "__main__":
    main()
