"""Fit y = sin(x) on [-pi, pi] with a cubic a + b x + c x^2 + d x^3 by gradient descent, the
gradients from autograd and the update written by hand (the style of PyTorch's "Learning
PyTorch with examples"). Checks the fit against the least-squares cubic."""
import math
import sys

import numpy as np
import torch

dtype = torch.float
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")
torch.set_default_device(device)
torch.manual_seed(0)

x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)

# Random starting weights; requires_grad=True asks autograd for their gradients.
a = torch.randn((), dtype=dtype, requires_grad=True)
b = torch.randn((), dtype=dtype, requires_grad=True)
c = torch.randn((), dtype=dtype, requires_grad=True)
d = torch.randn((), dtype=dtype, requires_grad=True)

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
learning_rate = 1e-6
for t in range(steps):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 500 == 499:
        print(t, loss.item())
    loss.backward()
    # The update must not be recorded in the graph, and the gradients are cleared by hand.
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")

# The least-squares cubic, in float64, and its loss: gradient descent must come close.
xs = np.linspace(-math.pi, math.pi, 2000)
coefficients, *_ = np.linalg.lstsq(np.vander(xs, 4, increasing=True), np.sin(xs), rcond=None)
best_loss = float(((np.vander(xs, 4, increasing=True) @ coefficients - np.sin(xs)) ** 2).sum())
final_loss = loss.item()
print(f"final loss {final_loss:.3f}, least-squares loss {best_loss:.3f}")
assert a.grad is None and a.requires_grad and a.is_leaf
assert final_loss < best_loss + 15, (final_loss, best_loss)
assert abs(b.item() - coefficients[1]) < 0.1 and abs(d.item() - coefficients[3]) < 0.02
print("polynomial autograd: OK")
