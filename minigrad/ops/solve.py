"""Inverse, linear solve and determinant of (batches of) square matrices: the primitives
behind ``minigrad.linalg``. Their backward formulas are written with these same ops, so
their gradients are differentiable again."""
import numpy as np

from ..autograd import Function


class LinAlgError(RuntimeError):
    """A matrix that the operation cannot handle (singular), as ``torch.linalg.LinAlgError``."""


def check_square(name: str, a: np.ndarray):
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"linalg.{name}: A must be batches of square matrices, but got shape "
                         f"{a.shape}")


def _singular(name):
    return LinAlgError(f"linalg.{name}: the input matrix is singular, so the operation could "
                       "not be completed")


class Inverse(Function):
    """out = A^-1;  dA = -A^-T g A^-T (from d(A^-1) = -A^-1 dA A^-1)."""
    saves_output = True

    def forward(self, a):
        check_square("inv", a)
        try:
            return np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise _singular("inv") from None

    def backward(self, grad, out):
        inverse_t = out.mT
        return (-(inverse_t @ grad @ inverse_t),)


class Solve(Function):
    """X = A^-1 B for B of shape (..., n, k);  dB = A^-T g (one more solve),
    dA = -dB X^T (from dX = A^-1 (dB - dA X))."""
    saved_inputs = (0,)
    saves_output = True

    def forward(self, a, b):
        check_square("solve", a)
        if b.ndim < 2 or b.shape[-2] != a.shape[-1]:
            raise ValueError(f"linalg.solve: B of shape {b.shape} does not match A of shape "
                             f"{a.shape} (B needs {a.shape[-1]} rows)")
        try:
            return np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise _singular("solve") from None

    def backward(self, grad, out):
        a = self.inputs[0]
        grad_b = Solve.apply(a.mT, grad)
        grad_a = -(grad_b @ out.mT) if self.needs_input_grad[0] else None
        return grad_a, grad_b


class Det(Function):
    """out = det(A);  dA = g det(A) A^-T (Jacobi's formula)."""
    saved_inputs = (0,)
    saves_output = True

    def forward(self, a):
        check_square("det", a)
        return np.linalg.det(a)

    def backward(self, grad, out):
        a = self.inputs[0]
        scale = (grad * out).unsqueeze(-1).unsqueeze(-1)
        return (scale * Inverse.apply(a).mT,)
