"""``python -m benchmarks.winograd``: Winograd F(2x2, 3x3) against im2col + GEMM, per layer
shape, for the forward and both gradients (stride 1, padding 1, float32).

The two paths are interleaved call by call in one process and the medians of their wall
times compared (with several BLAS threads only wall time is meaningful: CPU time would count
OpenBLAS's spinning threads); on a shared machine run it with OPENBLAS_NUM_THREADS=1, where
the load hits both paths alike. The rule ``minigrad.ops.winograd.pays``
encodes where the sum of the three wins; the last column says what it picks.
"""
import argparse
import time

import numpy as np

from minigrad.ops import winograd
from minigrad.ops.convolution import (Geometry, gemm_forward, gemm_input_grad, gemm_weight_grad,
                                     im2col)

# (batch, in channels, out channels, image size): the MNIST CNN's layers, then wider ones.
SHAPES = [(128, 1, 16, 28), (128, 16, 32, 14), (64, 32, 32, 16), (64, 32, 64, 16),
          (32, 48, 48, 16), (32, 64, 64, 16), (32, 128, 128, 8), (16, 256, 256, 8)]


def _paths(x, w, g, geometry):
    padding = geometry.padding

    def gemm():
        cols = im2col(x, (3, 3), geometry)  # the GEMM kernels themselves, whatever the rule
        gemm_forward(x, w, geometry, cols)
        gemm_input_grad(g, w, x.shape, geometry)
        gemm_weight_grad(x, g, w.shape, geometry, cols)

    def wino():
        tiles = winograd.input_tiles(x, padding)
        winograd.forward(x, w, padding, tiles)
        winograd.input_grad(g, w, padding)
        winograd.weight_grad(x, g, padding, tiles)
    return gemm, wino


def measure(shape, repeats=7, seed=0):
    """Median milliseconds of (GEMM path, Winograd path) for one layer, forward + both
    gradients, and the largest relative difference of their forward outputs."""
    n, c, o, size = shape
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, size, size)).astype(np.float32)
    w = rng.standard_normal((o, c, 3, 3)).astype(np.float32)
    g = rng.standard_normal((n, o, size, size)).astype(np.float32)
    geometry = Geometry((1, 1), (1, 1), (1, 1), 1)
    times = {"gemm": [], "winograd": []}
    for _ in range(repeats):
        for name, run in zip(times, _paths(x, w, g, geometry)):
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) * 1e3 for name, t in times.items()}


def measure_all(repeats=7) -> dict:
    """{"N, C, O, HxW": {"gemm": ms, "winograd": ms}} for every shape of SHAPES."""
    return {f"{n}, {c}, {o}, {size}x{size}": measure((n, c, o, size), repeats)
            for n, c, o, size in SHAPES}


def table(results) -> str:
    lines = [f"{'conv 3x3: N, C, O, HxW':22s} {'GEMM ms':>9s} {'Winograd ms':>12s} {'ratio':>6s}"
             "  rule picks (wall ms, forward + both gradients)"]
    for label, m in results.items():
        channels_in, channels_out = (int(v) for v in label.split(", ")[1:3])
        picks = "winograd" if winograd.pays(channels_in, channels_out) else "gemm"
        lines.append(f"{label:22s} {m['gemm']:9.2f} {m['winograd']:12.2f} "
                     f"{m['winograd'] / m['gemm']:6.2f}  {picks}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.winograd")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    print(table(measure_all(args.repeats)))


if __name__ == "__main__":
    main()
