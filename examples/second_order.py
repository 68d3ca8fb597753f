"""The second-order chapter: every method on a ravine, a saddle, Rosenbrock's valley, a curve
fit and a full-batch MNIST slice (logistic regression, 3s against 8s), each given the same
budget of backward passes, with loss against backward passes and against seconds.

A backward pass is the unit of cost: a gradient costs one, a Hessian-vector or Jacobian-vector
product one more (through a graph about twice as large), Newton's dense Hessian one per
parameter. The notes' claims are checked in numbers at the end.

    python examples/second_order.py [--quick] [--out second_order.png]

``--quick`` runs the same comparison, with the same budgets for every method, on a smaller
MNIST slice (500 images at 7x7 instead of 2000 at 14x14, so 50 parameters instead of 197).
"""
import argparse
import time
from collections import namedtuple

import numpy as np

import minigrad as mg
from minigrad import data, nn, optim
from minigrad.autograd import engine

parser = argparse.ArgumentParser()
parser.add_argument("--quick", action="store_true", help="a smaller MNIST slice")
parser.add_argument("--out", default="second_order.png", help="the figure (needs matplotlib)")
args = parser.parse_args()


class BackwardCounter:
    """Counts every backward pass the engine runs (loss.backward(), autograd.grad, and so each
    curvature product), by wrapping the one function they all go through."""

    def __init__(self):
        self.passes = 0
        self._original = engine.run_backward

    def __enter__(self):
        def counted(*arguments, **options):
            self.passes += 1
            return self._original(*arguments, **options)
        engine.run_backward = counted
        return self

    def __exit__(self, *exc):
        engine.run_backward = self._original


# ---------------------------------------------------------------- the problems
Problem = namedtuple("Problem", "name start loss residual f_star budget lr")


def least_squares(residual):
    return lambda ps: 0.5 * (residual(ps) ** 2).sum()


def ravine_residual(ps):  # 0.5 |r|^2 = 0.5 x^2 + 50 y^2: condition number 100
    return ps[0] * mg.Tensor(np.array([1.0, 10.0]))


def rosenbrock_residual(ps):  # 0.5 |r|^2 = Rosenbrock / 2
    p = ps[0]
    return mg.stack([1.0 - p[0], 10.0 * (p[1] - p[0] * p[0])])


def saddle(ps):  # a saddle at the origin, minima -1/4 at (0, +-1)
    p = ps[0]
    return 0.5 * p[0] ** 2 + 0.25 * p[1] ** 4 - 0.5 * p[1] ** 2


rng = np.random.default_rng(0)
T = np.linspace(0.0, 4.0, 40)
Y = 2.5 * np.exp(-1.3 * T) + 0.4 + 0.02 * rng.standard_normal(len(T))


def decay_residual(ps):  # fit y = a exp(-k t) + c
    p = ps[0]
    return p[0] * (mg.Tensor(T) * (-p[1])).exp() + p[2] - mg.Tensor(Y)


def decay_optimum():
    """The best fit by Gauss-Newton in NumPy with the Jacobian written out (the reference)."""
    a, k, c = 2.0, 1.0, 0.0
    for _ in range(50):
        e = np.exp(-k * T)
        jacobian = np.stack([e, -a * T * e, np.ones_like(T)], axis=1)
        a, k, c = np.array([a, k, c]) - np.linalg.lstsq(jacobian, a * e + c - Y, rcond=None)[0]
    return 0.5 * np.sum((a * np.exp(-k * T) + c - Y) ** 2)


def mnist_slice(count, side):
    mnist = data.MNIST(train=True)
    keep = np.isin(mnist.targets, [3, 8])
    images = mnist.data[keep][:count].astype(np.float64) / 255
    pool = 28 // side  # average-pool to side x side
    images = images.reshape(count, side, pool, side, pool).mean(axis=(2, 4)).reshape(count, -1)
    return images, (mnist.targets[keep][:count] == 8).astype(np.float64)


IMAGES, LABELS = mnist_slice(*((500, 7) if args.quick else (2000, 14)))
L2 = 1e-3


def logistic(ps):
    """Mean logistic loss plus L2 on the weights: strictly convex, so Newton's answer is the
    optimum."""
    w, b = ps
    logits = mg.Tensor(IMAGES) @ w + b
    return (nn.functional.binary_cross_entropy_with_logits(logits, mg.Tensor(LABELS))
            + L2 * (w * w).sum())


def logistic_optimum():
    """Newton's method in NumPy, float64 (IRLS): the reference optimum."""
    x = np.hstack([IMAGES, np.ones((len(IMAGES), 1))])
    penalty = np.diag(np.r_[np.full(IMAGES.shape[1], 2 * L2), 0.0])
    theta = np.zeros(x.shape[1])
    for _ in range(40):
        prob = 1 / (1 + np.exp(-x @ theta))
        hessian = x.T @ (x * (prob * (1 - prob))[:, None]) / len(x) + penalty
        theta -= np.linalg.solve(hessian, x.T @ (prob - LABELS) / len(x) + penalty @ theta)
    z = x @ theta
    loss = np.mean(np.logaddexp(0, z) - LABELS * z)
    return loss + L2 * theta[:-1] @ theta[:-1]


D = IMAGES.shape[1]
PROBLEMS = [  # lr: gradient descent, momentum and Adam, each near its best on that problem
    Problem("ravine", [np.array([-3.0, 1.0])], least_squares(ravine_residual), ravine_residual,
            0.0, 300, (0.015, 0.005, 0.1)),
    Problem("saddle", [np.array([1.0, 0.01])], saddle, None, -0.25, 300, (0.1, 0.03, 0.05)),
    Problem("Rosenbrock", [np.array([-1.2, 1.0])], least_squares(rosenbrock_residual),
            rosenbrock_residual, 0.0, 1500, (1e-3, 2e-4, 0.02)),
    Problem("curve fit", [np.array([1.0, 0.5, 0.0])], least_squares(decay_residual),
            decay_residual, decay_optimum(), 300, (0.02, 0.01, 0.05)),
    Problem(f"MNIST {len(IMAGES)}x{D}", [np.zeros(D), np.zeros(1)], logistic, None,
            logistic_optimum(), 600 if args.quick else 1500, (2.0, 0.5, 0.05)),
]

def line_search(cls, **options):
    """Five iterations a step. PyTorch's tolerance_change of 1e-9 would stop these methods (as
    converged) before the 1e-9 gap every method is run to, so it is lowered."""
    return lambda ps, pr: cls(ps, max_iter=5, tolerance_change=1e-14, **options)


# name: (closure kind, make(params, problem), which gives None where the method does not apply)
METHODS = {
    "gradient descent": ("backward", lambda ps, pr: optim.SGD(ps, lr=pr.lr[0])),
    "momentum 0.9": ("backward", lambda ps, pr: optim.SGD(ps, lr=pr.lr[1], momentum=0.9)),
    "Adam": ("backward", lambda ps, pr: optim.Adam(ps, lr=pr.lr[2])),
    "conjugate gradient": ("backward", line_search(optim.ConjugateGradient)),
    "BFGS": ("backward", line_search(optim.BFGS)),
    "L-BFGS": ("backward", line_search(optim.LBFGS, history_size=20,
                                       line_search_fn="strong_wolfe")),
    "Newton": ("loss", lambda ps, pr: optim.Newton(ps)),
    "Hessian-free": ("loss", lambda ps, pr: optim.HessianFree(ps, damping=0.1)),
    "Gauss-Newton": ("residual", lambda ps, pr: optim.GaussNewton(ps) if pr.residual else None),
    "Levenberg-Marquardt": ("residual",
                            lambda ps, pr: optim.LevenbergMarquardt(ps) if pr.residual else None),
}


def run(problem, kind, make, batches=None):
    """Steps until the budget of backward passes is spent or the loss is within 1e-9 of the
    optimum; returns the trace [(passes, seconds, loss on all the data)] and the parameters.
    ``batches``: an iterator of loss functions, one taken for each step (mini-batch mode)."""
    params = [nn.Parameter(start.copy()) for start in problem.start]
    opt = make(params, problem)
    if opt is None:
        return None, None
    loss_fn = problem.loss

    def closure():
        if kind == "residual":
            return problem.residual(params)
        loss = loss_fn(params)
        if kind == "backward":
            opt.zero_grad()
            loss.backward()
        return loss

    with mg.no_grad():
        trace = [(0, 0.0, problem.loss(params).item())]
    seconds = 0.0
    with BackwardCounter() as counter:
        while counter.passes < problem.budget and trace[-1][2] - problem.f_star > 1e-9:
            if batches is not None:  # one batch per step: every line-search trial sees it
                loss_fn = next(batches)
            start = time.perf_counter()
            opt.step(closure)
            seconds += time.perf_counter() - start
            with mg.no_grad():
                loss = problem.loss(params).item()
            trace.append((counter.passes, seconds, loss))
            if not np.isfinite(loss):
                break
    return trace, params


def passes_to(trace, target):
    return next((p for p, _, loss in trace if loss <= target), None)


results = {}
print(f"{'problem':15s} {'method':20s} {'final loss - optimum':>21s} {'passes':>7s} "
      f"{'to 1e-6':>8s} {'seconds':>8s}")
for problem in PROBLEMS:
    for name, (kind, make) in METHODS.items():
        trace, params = run(problem, kind, make)
        results[problem.name, name] = (trace, params)
        if trace is None:
            continue
        passes, seconds, loss = trace[-1]
        reached = passes_to(trace, problem.f_star + 1e-6)
        print(f"{problem.name:15s} {name:20s} {loss - problem.f_star:21.3e} {passes:7d} "
              f"{'-' if reached is None else reached:>8} {seconds:8.3f}")

# ---------------------------------------------------------------- the notes' claims, in numbers
print("\nClaims from the notes, checked:")
trace, params = results["saddle", "Newton"]
where = params[0].array
gd_gap = results["saddle", "gradient descent"][0][-1][2] + 0.25
newton_gap = trace[-1][2] + 0.25
print(f"- Newton only works when the Hessian is positive: on the saddle it converges to "
      f"({where[0]:.1e}, {where[1]:.1e}), a stationary point {newton_gap:.3f} above the minimum, "
      f"where gradient descent ends {gd_gap:.1e} above it: "
      f"{'confirmed' if newton_gap > 0.2 > 100 * gd_gap else 'NOT confirmed'}")

mnist = PROBLEMS[-1]
trace = results[mnist.name, "Newton"][0]
per_step = trace[1][0]
print(f"- the Hessian has O(N^2) elements: one Newton step on the MNIST slice ({D + 1} "
      f"parameters) costs {per_step} backward passes, one L-BFGS iteration about "
      f"{results[mnist.name, 'L-BFGS'][0][1][0] / 5:.1f}: "
      f"{'confirmed' if per_step > D else 'NOT confirmed'}")

batch_rng = np.random.default_rng(1)
batch_size = 50


def mini_batches():
    """An endless stream of loss functions, each on a fresh random batch of 50 images."""
    while True:
        rows = batch_rng.choice(len(IMAGES), batch_size, replace=False)

        def loss(ps, rows=rows):
            w, b = ps
            logits = mg.Tensor(IMAGES[rows]) @ w + b
            return (nn.functional.binary_cross_entropy_with_logits(logits, mg.Tensor(LABELS[rows]))
                    + L2 * (w * w).sum())
        yield loss


full_gap = results[mnist.name, "L-BFGS"][0][-1][2] - mnist.f_star
mini_trace, _ = run(mnist, "backward", METHODS["L-BFGS"][1], batches=mini_batches())
mini_gap = mini_trace[-1][2] - mnist.f_star
print(f"- L-BFGS works well in full batch but not very well for mini-batch: with the same "
      f"{mnist.budget} backward passes, full batch ends {full_gap:.1e} above the optimum, "
      f"batches of {batch_size} end {mini_gap:.1e} above it: "
      f"{'confirmed' if mini_gap > 100 * max(full_gap, 1e-10) else 'NOT confirmed'}")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("(install matplotlib to plot loss against backward passes and seconds)")
else:
    figure, axes = plt.subplots(2, len(PROBLEMS), figsize=(4 * len(PROBLEMS), 7))
    for column, problem in enumerate(PROBLEMS):
        for name in METHODS:
            trace = results[problem.name, name][0]
            if trace is None:
                continue
            passes, seconds, loss = np.array(trace).T
            gap = np.maximum(loss - problem.f_star, 1e-12)
            axes[0, column].semilogy(passes, gap, label=name)
            axes[1, column].semilogy(seconds, gap, label=name)
        axes[0, column].set_title(problem.name)
        axes[0, column].set_xlabel("backward passes")
        axes[1, column].set_xlabel("seconds")
    axes[0, 0].set_ylabel("loss - optimum")
    axes[1, 0].set_ylabel("loss - optimum")
    handles, labels = axes[0, 3].get_legend_handles_labels()  # the curve fit has every method
    figure.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8)
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    figure.savefig(args.out, dpi=100)
    print(f"wrote {args.out}")
