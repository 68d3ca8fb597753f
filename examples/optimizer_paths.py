"""Trajectories of every optimizer on three 2-D surfaces: an ill-conditioned ravine, a saddle
point and the Rosenbrock valley. Plots the paths (with matplotlib) or prints where each ends.

    python examples/optimizer_paths.py [--out paths.png]
"""
import argparse

import numpy as np

import minigrad as mg
from minigrad import nn, optim

parser = argparse.ArgumentParser()
parser.add_argument("--out", default="paths.png")
args = parser.parse_args()

SURFACES = {  # name: (function, start, steps, plot window)
    "ravine 0.5x^2 + 25y^2": (lambda p: 0.5 * p[0] ** 2 + 25 * p[1] ** 2, [-3.0, 1.0], 150,
                              (-3.5, 1, -1.5, 1.5)),
    "saddle x^2 - y^2 + y^4/4": (lambda p: p[0] ** 2 - p[1] ** 2 + 0.25 * p[1] ** 4, [1.5, 1e-3],
                                 150, (-2, 2, -2, 2)),
    "Rosenbrock": (lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2, [-1.5, 2.0], 1500,
                   (-2, 2, -1, 3)),
}
OPTIMIZERS = {
    "SGD": lambda ps: optim.SGD(ps, lr=1e-3), "momentum": lambda ps: optim.SGD(ps, lr=1e-3, momentum=0.9),
    "Nesterov": lambda ps: optim.SGD(ps, lr=1e-3, momentum=0.9, nesterov=True),
    "AdaGrad": lambda ps: optim.Adagrad(ps, lr=0.5), "RMSprop": lambda ps: optim.RMSprop(ps, lr=0.01),
    "Adam": lambda ps: optim.Adam(ps, lr=0.05), "NAdam": lambda ps: optim.NAdam(ps, lr=0.05),
}


def path(loss_fn, start, steps, make):
    point = nn.Parameter(np.array(start))
    opt = make([point])
    trace = [point.array.copy()]
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(point).backward()
        opt.step()
        trace.append(point.array.copy())
    return np.array(trace)


traces = {surface: {name: path(fn, start, steps, make) for name, make in OPTIMIZERS.items()}
          for surface, (fn, start, steps, _) in SURFACES.items()}
for surface, by_optimizer in traces.items():
    print(surface)
    for name, trace in by_optimizer.items():
        print(f"  {name:9s} ends at ({trace[-1][0]: .4f}, {trace[-1][1]: .4f})")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("(install matplotlib to plot the paths)")
else:
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for axis, (surface, (fn, _, _, (x0, x1, y0, y1))) in zip(axes, SURFACES.items()):
        xs, ys = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
        with mg.no_grad():
            zs = fn(mg.Tensor(np.stack([xs, ys]))).numpy()
        axis.contour(xs, ys, np.log1p(zs - zs.min()), levels=25, cmap="gray", linewidths=0.5)
        for name, trace in traces[surface].items():
            axis.plot(trace[:, 0], trace[:, 1], label=name, linewidth=1)
        axis.set(title=surface, xlim=(x0, x1), ylim=(y0, y1))
    axes[0].legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")
