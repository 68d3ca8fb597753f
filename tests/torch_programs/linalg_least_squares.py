"""Least squares three ways, as in a linear-algebra refresher notebook: the normal equations
with ``torch.linalg.solve``, the explicit ``torch.linalg.inv``, and gradient descent; with
``torch.linalg.norm`` / ``vector_norm`` / ``det`` on the way."""
import torch

torch.manual_seed(0)
X = torch.randn(200, 3, dtype=torch.float64)
w_true = torch.tensor([1.5, -2.0, 0.25], dtype=torch.float64)
y = X @ w_true + 0.01 * torch.randn(200, dtype=torch.float64)

gram = X.T @ X
w_solve = torch.linalg.solve(gram, X.T @ y)
w_inv = torch.linalg.inv(gram) @ (X.T @ y)
print("solve:", w_solve.tolist())
assert torch.allclose(w_solve, w_inv, atol=1e-10)
assert torch.linalg.vector_norm(w_solve - w_true).item() < 0.01
assert torch.linalg.det(gram).item() > 0  # a Gram matrix of independent columns

w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
for step in range(500):
    loss = ((X @ w - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
print("gradient descent:", w.tolist())
assert torch.linalg.norm(w.detach() - w_solve).item() < 1e-6

# Gradients through the linear algebra: d/dA of ||solve(A, b)|| matches finite differences.
A = (torch.eye(3, dtype=torch.float64) * 3 + torch.randn(3, 3, dtype=torch.float64))
A.requires_grad_()
b = torch.randn(3, dtype=torch.float64)
torch.linalg.vector_norm(torch.linalg.solve(A, b)).backward()
h = 1e-6
E = torch.zeros(3, 3, dtype=torch.float64)
E[0, 1] = h
with torch.no_grad():
    numeric = (torch.linalg.vector_norm(torch.linalg.solve(A + E, b))
               - torch.linalg.vector_norm(torch.linalg.solve(A - E, b))) / (2 * h)
assert abs(A.grad[0, 1].item() - numeric.item()) < 1e-6
print("linalg_least_squares: OK")
