"""Toy nets you can see: micrograd's demo, with minigrad.

1. Train a small MLP on two interleaved half-moons and draw its decision boundary.
2. Build a network of two neurons from scalars, backpropagate, and draw its graph with every
   node's value and gradient.
3. Check that network's gradient by hand with central differences.

    python examples/toy_nets.py [--out DIR]

writes DIR/moons_boundary.png (with matplotlib) and DIR/two_neurons.svg (with Graphviz's
``dot``; the DOT source otherwise).
"""
import argparse
import os
import time

import numpy as np

import minigrad as mg
from minigrad import nn, optim, viz
from minigrad.viz import boundary
from minigrad.data import make_moons
from minigrad.nn import functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--out", default=".", help="folder for the pictures")
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)
start = time.perf_counter()

# ---------------------------------------------------------------- 1. the moons
mg.manual_seed(0)
X, y = make_moons(300, noise=0.1, seed=0)
X_train, y_train, X_val, y_val = X[:240], y[:240], X[240:], y[240:]  # already shuffled
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                      nn.Linear(16, 2))
optimizer = optim.Adam(model.parameters(), lr=0.01)


def accuracy(inputs, labels):
    with mg.no_grad():
        return float((model(inputs).array.argmax(1) == labels.array).mean())


for step in range(1, 301):  # full batch: 240 points are one small matrix
    loss = F.cross_entropy(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        print(f"step {step}: loss {loss.item():.4f}, train accuracy "
              f"{100 * accuracy(X_train, y_train):.1f}%, validation accuracy "
              f"{100 * accuracy(X_val, y_val):.1f}%")
if boundary.have_matplotlib():
    path = os.path.join(args.out, "moons_boundary.png")
    boundary.plot_decision_boundary(
        model, X_train, y_train, X_val, y_val, path=path,
        title=f"MLP 2-16-16-2: {100 * accuracy(X_val, y_val):.1f}% validation accuracy")
    print(f"wrote {path}")
else:
    print("install matplotlib to draw the decision boundary")


# ---------------------------------------------------------------- 2. two neurons, drawn
def two_neurons(x1, x2, w1, w2, b1, v, b2):
    """A hidden neuron h = tanh(w1 x1 + w2 x2 + b1) feeding an output neuron tanh(v h + b2)."""
    hidden = (w1 * x1 + w2 * x2 + b1).tanh()
    return (v * hidden + b2).tanh()


def scalar(value, requires_grad=True):
    # float64 for the finite differences; np.float64 so no float32 rounding on the way in
    return mg.tensor(np.float64(value), requires_grad=requires_grad)


inputs = {"x1": scalar(2.0, False), "x2": scalar(0.5, False)}
weights = {"w1": -0.8, "w2": 1.5, "b1": 0.3, "v": 1.2, "b2": -0.4}
params = {name: scalar(value) for name, value in weights.items()}
output = viz.retain_grads(two_neurons(*inputs.values(), *params.values()))
output.backward(retain_graph=True)  # keep the graph so that it can still be drawn
print(f"two neurons: output {output.item():.6f}; gradients "
      + ", ".join(f"{name} {p.grad.item():.6f}" for name, p in params.items()))
drawn = viz.render(output, os.path.join(args.out, "two_neurons.svg"), params={**inputs, **params})
print(f"wrote {drawn}")


# ---------------------------------------------------------------- 3. the gradient, by hand
def output_of(theta):
    """The output as a function of the five weights (a NumPy vector), for finite differences."""
    return two_neurons(*inputs.values(), *(scalar(t, False) for t in theta))


theta = np.array(list(weights.values()))
numerical = mg.numerical_gradient(output_of, theta)
backprop = np.array([p.grad.item() for p in params.values()])
relative = np.abs(numerical - backprop) / np.maximum(np.abs(numerical) + np.abs(backprop), 1e-12)
print(f"{'weight':>6s} {'backward':>12s} {'numerical':>12s} {'relative error':>15s}")
for name, b, n, r in zip(params, backprop, numerical, relative):
    print(f"{name:>6s} {b:12.8f} {n:12.8f} {r:15.2e}")
print(f"gradient check: {'passed' if relative.max() < 1e-6 else 'FAILED'} (largest relative "
      f"error {relative.max():.1e}); {time.perf_counter() - start:.1f}s in all")
