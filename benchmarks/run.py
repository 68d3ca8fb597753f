"""The benchmark runner.

Times, in one process, interleaved round by round after a warm-up epoch, the median seconds
per epoch of every workload (minigrad's MLP with Adam and SGD+momentum at batch 32, 128 and
512, with and without BatchNorm; the CNN; the hand-written NumPy reference; PyTorch when it
is installed), then prints ratios to the reference, peak memory, the import time and the
engine's micro-benchmarks (the language-model rows, GPT and LSTM at batch 32, block 16,
time 100 training steps as their "epoch"), the sequence models' steps against PyTorch
(``benchmarks.sequence``), the non-GEMM passes on one thread and on two
(``benchmarks.parallel``), Winograd against GEMM per layer shape (``benchmarks.winograd``)
and the data-parallel rows (``benchmarks.distributed``). ``--json FILE`` writes everything.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from . import compiled, distributed, micro, parallel, sequence, winograd
from .cnn_workloads import add_cnn_workloads
from .language_models import add_lm_workloads
from .recurrent import add_recurrent_workloads
from .workloads import (MinigradMLP, ReferenceMLP, TorchMLP, initial_weights,
                        mnist_arrays)


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def build_workloads(images, labels, fraction, batch_sizes, with_torch):
    workloads = {}
    for optimizer in ("adam", "momentum"):
        for batch in batch_sizes:
            key = f"{optimizer} b{batch}"
            workloads[f"numpy     MLP {key}"] = ReferenceMLP(images, labels, optimizer, batch, fraction)
            workloads[f"minigrad  MLP {key}"] = MinigradMLP(images, labels, optimizer, batch,
                                                            fraction=fraction)
            workloads[f"minigrad  MLP-BN {key}"] = MinigradMLP(images, labels, optimizer, batch,
                                                               batchnorm=True, fraction=fraction)
            if with_torch:
                workloads[f"torch     MLP {key}"] = TorchMLP(images, labels, optimizer, batch, fraction)
    add_cnn_workloads(workloads, images, labels, fraction, with_torch)
    # the GRU step; the LSTM step is a language-model row (add_lm_workloads)
    return add_recurrent_workloads(workloads, fraction, with_torch, cells=("GRU",))


def time_interleaved(workloads, rounds, fraction):
    """Median seconds per (full) epoch of each workload: a warm-up epoch, then ``rounds``
    rounds in which every workload runs one epoch in turn."""
    for workload in workloads.values():
        workload.epoch()
    samples = {name: [] for name in workloads}
    for _ in range(rounds):
        for name, workload in workloads.items():
            start = time.perf_counter()
            workload.epoch()
            samples[name].append((time.perf_counter() - start) / fraction)
    return {name: {"median": float(np.median(s)), "all": s} for name, s in samples.items()}


def peak_memory_mb(make_workload, batches=30) -> float:
    """Peak traced memory (NumPy registers its buffers with tracemalloc) of a training run:
    from building the model and optimizer, through ``batches`` training steps, so parameters,
    gradients, optimizer state and each step's temporaries all count, for both sides."""
    tracemalloc.start()
    workload = make_workload()
    workload.epoch(max_batches=batches)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2 ** 20


def import_seconds(module="minigrad", repeats=5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def report(results, threads) -> str:
    lines = [f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
             f"BLAS threads {threads}, NumPy {np.__version__}", "",
             f"{'workload':34s} {'s/epoch':>8s} {'/ numpy':>8s} {'/ torch':>8s}"]
    timings = results["timings"]
    for name, timing in timings.items():
        kind, config = name.split()[0], " ".join(name.split()[2:])
        model = name.split()[1]  # MLP, MLP-BN (no reference of its own) or CNN
        reference = timings.get(f"numpy     {model} {config}")
        torch_row = timings.get(f"torch     {model} {config}")
        ratio = f"{timing['median'] / reference['median']:.2f}" if reference and kind != "numpy" else ""
        ratio_t = f"{timing['median'] / torch_row['median']:.2f}" if torch_row and kind in ("minigrad", "compiled") and "BN" not in name else ""
        lines.append(f"{name:34s} {timing['median']:8.2f} {ratio:>8s} {ratio_t:>8s}")
    memory = results["peak_memory_mb"]
    lines += ["", f"peak memory, MLP Adam b128: minigrad {memory['minigrad']:.1f} MB, numpy "
                  f"{memory['numpy']:.1f} MB (ratio {memory['minigrad'] / memory['numpy']:.2f})",
              f"peak memory, MLP Adam b128: compiled {memory['compiled']:.1f} MB (eager "
              f"{memory['minigrad']:.1f} MB); replay overhead {results['per_kernel_us']:.2f} us "
              "per kernel",
              f"import minigrad: {results['import_seconds']:.2f}s (python -c 'import minigrad')",
              f"engine overhead: {results['per_op_us']:.1f} us per op (forward + backward, "
              "chain of 1000 small ops)", "optimizer step over 1M parameters (ms): "
              + ", ".join(f"{k} {v:.1f}" for k, v in results["optimizer_step_ms"].items())]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--threads", default="2", help="BLAS threads (set before NumPy loads)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10%% of each epoch, 2 rounds")
    parser.add_argument("--batch-sizes", default="32,128,512")
    parser.add_argument("--json", default=None)
    parser.add_argument("--only", default=None,
                        help="run only workloads whose name contains this text (e.g. 'MLP adam')")
    args = parser.parse_args(argv)
    fraction, rounds = (0.1, 2) if args.quick else (1.0, args.rounds)
    images, labels = mnist_arrays()
    with_torch = torch_available()
    workloads = build_workloads(images, labels, fraction,
                                [int(b) for b in args.batch_sizes.split(",")], with_torch)
    workloads = compiled.add_workloads(workloads, images, labels, fraction)
    try:  # the transformer and LSTM steps (their "epoch" is 100 steps), on names
        workloads = add_lm_workloads(workloads, with_torch)
    except FileNotFoundError as error:
        print(f"language-model rows skipped: {error}", file=sys.stderr)
    if args.only:
        workloads = {name: w for name, w in workloads.items()
                     if args.only in name or name.startswith("numpy")}
    results = {"threads": args.threads, "fraction": fraction, "rounds": rounds,
               "timings": time_interleaved(workloads, rounds, fraction)}
    weights = initial_weights()  # made outside the traced window: not the reference's cost
    results["peak_memory_mb"] = {
        "minigrad": peak_memory_mb(lambda: MinigradMLP(images, labels, "adam", 128)),
        "numpy": peak_memory_mb(lambda: ReferenceMLP(images, labels, "adam", 128,
                                                     weights=weights)),
        "compiled": peak_memory_mb(lambda: compiled.CompiledMLP(images, labels, "adam", 128))}
    results["import_seconds"] = import_seconds()
    results["per_op_us"] = micro.per_op_microseconds()
    results["per_kernel_us"] = compiled.per_kernel_microseconds()
    results["optimizer_step_ms"] = micro.optimizer_step_milliseconds()
    results["parallel"] = parallel.measure_all(20 if args.quick else 50)  # 1 vs 2 threads
    results["sequence"] = sequence.measure_all(20 if args.quick else 60, with_torch)
    results["winograd"] = winograd.measure_all(3 if args.quick else 7)
    if distributed.available():  # separate mpiexec launches, one BLAS thread per process
        results["distributed"] = distributed.measure(*((50, 1) if args.quick else (150, 3)))
    text = report(results, args.threads)
    text += "\n\n" + "\n\n".join([sequence.table(results["sequence"]),
                                  parallel.table(results["parallel"]),
                                  winograd.table(results["winograd"])])
    if "distributed" in results:
        text += "\n\n" + distributed.report(results["distributed"])
    print(text)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1)
    return 0
