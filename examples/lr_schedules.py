"""Every learning-rate schedule, as the plain function of the step it is. Plots them all
(with matplotlib) or prints a few values of each.

    python examples/lr_schedules.py [--out schedules.png]
"""
import argparse
import math

from minigrad.optim import schedules as s

parser = argparse.ArgumentParser()
parser.add_argument("--out", default="schedules.png")
args = parser.parse_args()

steps, lr0 = 100, 0.1
curves = {
    "StepLR(30, 0.1)": s.step_lr(lr0, 30, 0.1),
    "MultiStepLR([40, 70])": s.multistep_lr(lr0, [40, 70], 0.1),
    "ConstantLR(1/3, 20)": s.constant_lr(lr0, 1 / 3, 20),
    "LinearLR(0.1 -> 1, 25)": s.linear_lr(lr0, 0.1, 1.0, 25),
    "ExponentialLR(0.97)": s.exponential_lr(lr0, 0.97),
    "PolynomialLR(100, 2)": s.polynomial_lr(lr0, 100, 2.0),
    "CosineAnnealingLR(100)": s.cosine_annealing(lr0, 100),
    "WarmRestarts(10, 2)": s.cosine_warm_restarts(lr0, 10, 2),
    "CyclicLR triangular2": s.cyclic(0.01, lr0, 10, mode="triangular2"),
    "OneCycleLR": s.one_cycle(lr0, steps),
    "OneCycleLR three-phase": s.one_cycle(lr0, steps, three_phase=True),
    "exponential decay exp(-kt)": s.exponential_decay(lr0, 0.03),
    "inverse time 1/(1+kt)": s.inverse_time_decay(lr0, 0.1),
    "step decay 0.5^floor(t/20)": s.step_decay(lr0, 0.5, 20),
    "warmup 10 -> cosine": s.warmup(lr0, 10, s.cosine_annealing(lr0, 90)),
}

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None

if plt is None:
    print(f"{'schedule':30s}" + "".join(f"{f't={t}':>10s}" for t in (0, 10, 25, 50, 99)))
    for name, lr in curves.items():
        print(f"{name:30s}" + "".join(f"{lr(t):10.4f}" for t in (0, 10, 25, 50, 99)))
    print("(install matplotlib to plot them)")
else:
    columns = 3
    rows = math.ceil(len(curves) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(12, 2.3 * rows), sharex=True)
    for axis, (name, lr) in zip(axes.flat, curves.items()):
        axis.plot(range(steps), [lr(t) for t in range(steps)])
        axis.set_title(name, fontsize=9)
    for axis in axes.flat[len(curves):]:
        axis.axis("off")
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")
