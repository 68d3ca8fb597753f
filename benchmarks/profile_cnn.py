"""``python -m benchmarks.profile_cnn``: where a CNN training step spends its time, op by op.

Every primitive's ``forward`` and ``backward`` is wrapped with a timer; a backward's time
includes the primitives it calls (an op's gradient is that op's cost), and a forward is counted
only outside a backward. What the wrappers do not see (the engine's bookkeeping, the
optimizer, batch assembly, code between ops) is reported as the rest of the step.

Times are the process's CPU time (``time.process_time``), which other jobs on a shared machine
do not inflate; with several BLAS threads it is the sum over threads, so run it with
OPENBLAS_NUM_THREADS=1 to read it as milliseconds of an idle single core.
"""
import argparse
import collections
import os
import time


def _all_functions(base):
    found, stack = [], [base]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            stack.append(sub)
    return found


def instrument(function_base):
    """Wrap every Function subclass; returns the dict of accumulated seconds by label."""
    totals = collections.defaultdict(float)
    depth = [0]  # > 0 while inside some backward

    def wrap(cls, name, label):
        original = cls.__dict__[name]

        def timed(self, *args, **kwargs):
            if name == "forward" and depth[0]:
                return original(self, *args, **kwargs)
            if name == "backward":
                depth[0] += 1
            start = time.process_time()
            try:
                return original(self, *args, **kwargs)
            finally:
                totals[label] += time.process_time() - start
                if name == "backward":
                    depth[0] -= 1
        setattr(cls, name, timed)

    for cls in _all_functions(function_base):
        for name in ("forward", "backward"):
            if name in cls.__dict__:
                wrap(cls, name, f"{cls.__name__}.{name}")
    return totals


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_cnn")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args(argv)
    import numpy as np
    import minigrad as mg
    from minigrad import models, nn, optim
    from minigrad.autograd import Function

    rng = np.random.default_rng(0)
    images = rng.standard_normal((args.batch_size * 8, 1, 28, 28)).astype(np.float32)
    labels = rng.integers(0, 10, len(images))
    mg.manual_seed(0)
    model = models.cnn()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)

    def step(i):
        start = (i % 8) * args.batch_size
        x = mg.Tensor(images[start:start + args.batch_size])
        y = mg.Tensor(labels[start:start + args.batch_size])
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for i in range(5):
        step(i)
    totals = instrument(Function)
    start = time.process_time()
    for i in range(args.steps):
        step(i)
    total = (time.process_time() - start) / args.steps * 1e3
    rows = sorted(((v / args.steps * 1e3, k) for k, v in totals.items()), reverse=True)
    print(f"{'op':28s} {'ms/step':>8s}")
    for ms, label in rows:
        if ms >= 0.05:
            print(f"{label:28s} {ms:8.2f}")
    print(f"{'rest (engine, optimizer, ...)':28s} {total - sum(r[0] for r in rows):8.2f}")
    print(f"{'step':28s} {total:8.2f}   (BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')})")


if __name__ == "__main__":
    main()
