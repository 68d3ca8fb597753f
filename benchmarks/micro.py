"""Micro-benchmarks of the engine's own overhead."""
import time

import numpy as np

import minigrad as mg
from minigrad import optim


def per_op_microseconds(length=1000, repeats=5):
    """Forward + backward through a chain of ``length`` small ops, per op."""
    x = mg.Tensor(np.ones(16, dtype=np.float32), requires_grad=True)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        y = x
        for i in range(length // 2):
            y = y * 1.0001
            y = y + 0.5
        y.sum().backward()
        times.append(time.perf_counter() - start)
        x.grad = None
    return float(np.median(times)) / length * 1e6


OPTIMIZERS = {"SGD": lambda p: optim.SGD(p, lr=0.01), "momentum": lambda p: optim.SGD(p, lr=0.01, momentum=0.9),
              "Adagrad": lambda p: optim.Adagrad(p), "Adadelta": lambda p: optim.Adadelta(p),
              "RMSprop": lambda p: optim.RMSprop(p), "Adam": lambda p: optim.Adam(p),
              "AdamW": lambda p: optim.AdamW(p), "Adamax": lambda p: optim.Adamax(p),
              "NAdam": lambda p: optim.NAdam(p), "RAdam": lambda p: optim.RAdam(p),
              "ASGD": lambda p: optim.ASGD(p), "Rprop": lambda p: optim.Rprop(p)}


def optimizer_step_milliseconds(parameters=1_000_000, steps=20):
    """One step() over a 1M-parameter model (a 1000 x 1000 weight), per optimizer."""
    rng = np.random.default_rng(0)
    results = {}
    for name, make in OPTIMIZERS.items():
        weight = mg.nn.Parameter(rng.standard_normal((1000, parameters // 1000)).astype(np.float32))
        weight.grad = mg.Tensor(rng.standard_normal(weight.shape).astype(np.float32))
        opt = make([weight])
        opt.step()
        times = []
        for _ in range(steps):
            start = time.perf_counter()
            opt.step()
            times.append(time.perf_counter() - start)
        results[name] = float(np.median(times)) * 1e3
    return results
