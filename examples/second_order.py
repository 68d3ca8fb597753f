"""Second-order methods against first-order ones on a full-batch problem: logistic regression
telling 3s from 8s (MNIST, downsampled to 14x14). Newton uses the exact Hessian from the
framework's own second derivatives; L-BFGS builds an estimate from gradients alone.

    python examples/second_order.py [--quick]
"""
import sys
import time

import numpy as np

import minigrad as mg
from minigrad import data, nn, optim

quick = "--quick" in sys.argv
mnist = data.MNIST(train=True)
keep = np.isin(mnist.targets, [3, 8])
images = mnist.data[keep][: 500 if quick else 2000].astype(np.float64) / 255
images = images.reshape(len(images), 14, 2, 14, 2).mean(axis=(2, 4)).reshape(len(images), -1)
labels = (mnist.targets[keep][: len(images)] == 8).astype(np.float64)
X, y = mg.Tensor(images), mg.Tensor(labels)


def loss_of(w, b):
    """Mean logistic loss plus a small L2 penalty (which makes the problem strictly convex)."""
    logits = X @ w + b
    return nn.functional.binary_cross_entropy_with_logits(logits, y) + 1e-3 * (w * w).sum()


def run(name, make, steps, use_closure_loss=False):
    w, b = nn.Parameter(np.zeros(196)), nn.Parameter(np.zeros(1))
    opt = make([w, b])
    start = time.perf_counter()
    for _ in range(steps):
        def closure():
            opt.zero_grad()
            loss = loss_of(w, b)
            if not use_closure_loss:
                loss.backward()
            return loss
        opt.step(closure)
    with mg.no_grad():
        final = loss_of(w, b).item()
        accuracy = (((X @ w + b).numpy() > 0) == (labels == 1)).mean()
    print(f"{name:22s} {steps:4d} steps  loss {final:.6f}  accuracy {100 * accuracy:.2f}%  "
          f"{time.perf_counter() - start:.2f}s")


run("gradient descent", lambda ps: optim.SGD(ps, lr=0.5), 200)
run("momentum", lambda ps: optim.SGD(ps, lr=0.5, momentum=0.9), 200)
run("Adam", lambda ps: optim.Adam(ps, lr=0.05), 200)
run("L-BFGS (strong Wolfe)", lambda ps: optim.LBFGS(ps, max_iter=20, line_search_fn="strong_wolfe"), 5)
run("Newton", lambda ps: optim.Newton(ps), 2 if quick else 6, use_closure_loss=True)
