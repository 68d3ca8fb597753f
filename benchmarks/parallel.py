"""``python -m benchmarks.parallel``: the non-GEMM passes of the MNIST CNN step (batch 128)
on one thread and on two (``minigrad.set_num_threads``), and the whole step.

The two settings alternate call by call in one process and the medians of the wall times
are compared (a parallel speed-up is only visible in wall time, so run it on an idle
machine: on a loaded one the second thread waits for a core). Set the BLAS threads as for
the step (``OPENBLAS_NUM_THREADS=2``): the pool and BLAS take turns, never run at once.
"""
import argparse
import time

import numpy as np

import minigrad as mg
from minigrad import models, nn, optim, parallel_kernels
from minigrad.ops import convolution, pooling
from minigrad.ops.convolution import Geometry


def _passes(batch=128):
    rng = np.random.default_rng(0)
    # The first convolution's output, as the convolutions hand it on: (N, C, H, W) over CHWN.
    activations = rng.standard_normal((16, 28, 28, batch)).astype(np.float32).transpose(3, 0, 1, 2)
    image = rng.standard_normal((batch, 16, 14, 14)).astype(np.float32)
    geometry = Geometry((1, 1), (1, 1), (1, 1), 1)
    cols = convolution.im2col(image, (3, 3), geometry)
    pooled = pooling.MaxPool2dBlocks().forward(activations, (2, 2))
    x6 = pooling._blocks(activations, (2, 2))
    mask = pooling._max_mask(activations, pooled, (2, 2))
    grad = np.ones_like(pooled)
    return {
        "relu forward (6.4 MB)": lambda: parallel_kernels.apply(np.maximum, activations, 0),
        "relu mask and product": lambda: parallel_kernels.apply(
            np.multiply, activations, parallel_kernels.apply(np.greater, activations, 0)),
        "max pool forward": lambda: pooling.MaxPool2dBlocks().forward(activations, (2, 2)),
        "max pool mask": lambda: pooling._first_max_mask_2x2(x6, pooled),
        "max pool spread": lambda: pooling.SpreadToBlocks().forward(grad, mask, activations),
        "im2col (16 ch, 14x14)": lambda: convolution.im2col(image, (3, 3), geometry),
        "col2im (16 ch, 14x14)": lambda: convolution.col2im(cols, image.shape, (3, 3), geometry),
    }


def _cnn_step(batch=128):
    mg.manual_seed(0)
    model = models.cnn()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(0)
    x = mg.tensor(rng.standard_normal((batch, 1, 28, 28)).astype(np.float32))
    y = mg.tensor(rng.integers(0, 10, batch))

    def step():
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    return step


def measure(function, repeats):
    """Median seconds of ``function`` on one thread and on two, alternating."""
    times = {1: [], 2: []}
    before = parallel_kernels.get_num_threads()
    try:
        for _ in range(repeats):
            for threads in times:
                parallel_kernels.set_num_threads(threads)
                start = time.perf_counter()
                function()
                times[threads].append(time.perf_counter() - start)
    finally:
        parallel_kernels.set_num_threads(before)
    return {threads: float(np.median(t)) for threads, t in times.items()}


def measure_all(repeats=50) -> dict:
    """{pass: {1: seconds, 2: seconds}} for every pass and the whole CNN step."""
    rows = dict(_passes())
    rows["whole CNN step (Adam)"] = _cnn_step()
    return {name: measure(function, repeats if "step" not in name else max(repeats // 3, 5))
            for name, function in rows.items()}


def table(results) -> str:
    lines = [f"{'pass (MNIST CNN, batch 128)':28s} {'1 thread ms':>12s} {'2 threads ms':>13s} "
             f"{'ratio':>6s}"]
    for name, m in results.items():
        m = {int(k): v for k, v in m.items()}  # JSON keeps the thread counts as text
        lines.append(f"{name:28s} {m[1] * 1e3:12.3f} {m[2] * 1e3:13.3f} {m[2] / m[1]:6.2f}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.parallel")
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args(argv)
    print(table(measure_all(args.repeats)))


if __name__ == "__main__":
    main()
