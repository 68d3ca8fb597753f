"""Curvature without matrices: products with J, J^T and H on the closure's graph, and linear
conjugate gradient on such products. Gauss-Newton, Levenberg-Marquardt and Hessian-free build
their steps from these; all vectors here are flat float64 NumPy arrays."""
import numpy as np

from ..autograd.functional import graph_jvp, graph_vjp
from ..tensor import Tensor
from .closure import check_no_backward, run
from .flat import count, flatten, unflatten


class Linearization:
    """The residual r(x) of a closure, evaluated once, with products by its Jacobian J at x.

    ``jt(u)`` = J^T u costs one backward pass; ``j(v)`` = J v costs one more after a first
    backward that builds J^T u symbolically (the double-backward trick); ``jacobian()`` forms
    J densely with min(m, n) such products (rows by J^T e_i, or columns by J e_j).
    """

    def __init__(self, closure, params, name="GaussNewton"):
        residual, ran_backward = run(closure, params)
        check_no_backward(ran_backward, name, "the residual Tensor r (it minimises 0.5 ||r||^2)")
        if not isinstance(residual, Tensor):
            raise TypeError(f"the closure must return the residual Tensor; got "
                            f"{type(residual).__name__}")
        if not residual.requires_grad:
            raise ValueError("the closure's residual does not depend on the parameters")
        self.params, self.residual = params, residual
        self.r = residual.array.reshape(-1).astype(np.float64)
        self.loss = 0.5 * float(self.r.dot(self.r))
        self.m, self.n = self.r.size, count(params)
        self._jvp = None

    def jt(self, u: np.ndarray) -> np.ndarray:
        seed = Tensor._make(u.reshape(self.residual.shape).astype(self.residual.dtype), False,
                            None)
        return flatten(graph_vjp([self.residual], self.params, [seed]), self.params
                       ).astype(np.float64)

    def j(self, v: np.ndarray) -> np.ndarray:
        if self._jvp is None:
            self._jvp = graph_jvp([self.residual], self.params)
        (product,) = self._jvp(unflatten(v, self.params))  # one v piece per parameter
        return np.zeros(self.m) if product is None else product.array.reshape(-1).astype(np.float64)

    def gradient(self) -> np.ndarray:
        """J^T r, the gradient of 0.5 ||r||^2."""
        return self.jt(self.r)

    def jacobian(self) -> np.ndarray:
        """J as an m x n float64 array, by rows or by columns, whichever needs fewer passes."""
        eye = np.eye(min(self.m, self.n))
        if self.m <= self.n:
            return np.stack([self.jt(row) for row in eye])
        return np.stack([self.j(column) for column in eye], axis=1)


class GaussNewtonSystem:
    """The damped normal equations (J^T J + damping I) delta = -J^T r of one linearization,
    solved densely (J formed once, reused for every damping) or by conjugate gradient on
    J^T (J v) products (two backward passes each, J never formed)."""

    def __init__(self, linearization, solver="auto", dense_limit=100, cg_max_iter=50,
                 cg_tol=1e-10):
        if solver == "auto":  # forming J costs min(m, n) passes; CG costs two per iteration
            solver = "dense" if min(linearization.m, linearization.n) <= dense_limit else "cg"
        self.linearization, self.solver = linearization, solver
        self.cg_max_iter, self.cg_tol = cg_max_iter, cg_tol
        self.products = 0  # backward passes spent on J and J^T products
        if solver == "dense":
            self.jacobian = linearization.jacobian()
            self.products += min(linearization.m, linearization.n)
            self.gradient = self.jacobian.T @ linearization.r
        else:
            self.gradient = linearization.gradient()
        self.products += 1

    def solve(self, damping: float) -> np.ndarray:
        lin = self.linearization
        if self.solver == "dense":
            if damping == 0:  # least squares directly: better conditioned than J^T J
                return -np.linalg.lstsq(self.jacobian, lin.r, rcond=None)[0]
            normal = self.jacobian.T @ self.jacobian
            normal[np.diag_indices_from(normal)] += damping
            return np.linalg.solve(normal, -self.gradient)

        def matvec(v):
            return lin.jt(lin.j(v)) + damping * v

        delta, _, used = conjugate_gradient(matvec, -self.gradient, max_iter=self.cg_max_iter,
                                            tol=self.cg_tol)
        self.products += 2 * used
        return delta


def conjugate_gradient(matvec, b, x0=None, max_iter=50, tol=1e-10, progress_window=False):
    """Solve A x = b for symmetric A, given only ``matvec(v) = A v`` (Hestenes & Stiefel 1952):

        r = b - A x,  p = r;  repeat: alpha = r.r / p.Ap,  x += alpha p,  r -= alpha Ap,
                                      p = r + (r_new.r_new / r.r) p

    Stops when ||r|| <= tol ||b||, after ``max_iter`` products, or on a direction of
    non-positive curvature p.Ap <= 0 (truncated Newton: the iterate so far is still a descent
    direction; if it happens at once, the answer is b itself, steepest descent). With
    ``progress_window`` it also stops, as Martens (2010) does, once the quadratic
    phi(x) = x.Ax/2 - b.x improved by less than a fraction 5e-4 per iteration over the last
    max(10, i/10) iterations. Returns (x, A x, products used).
    """
    warm = x0 is not None and np.any(x0)
    x = x0.astype(np.float64) if warm else np.zeros_like(b)
    ax, products = (matvec(x), 1) if warm else (np.zeros_like(b), 0)
    residual = b - ax
    direction = residual.copy()
    rr = residual.dot(residual)
    threshold = tol * np.linalg.norm(b)
    history = [0.5 * x.dot(ax) - b.dot(x)]
    while products < max_iter and np.sqrt(rr) > threshold:
        a_direction = matvec(direction)
        products += 1
        curvature = direction.dot(a_direction)
        if curvature <= 0:
            if not np.any(x):
                return b.copy(), matvec(b), products + 1
            break
        alpha = rr / curvature
        x += alpha * direction
        ax += alpha * a_direction
        residual -= alpha * a_direction
        rr_new = residual.dot(residual)
        direction = residual + (rr_new / rr) * direction
        rr = rr_new
        history.append(0.5 * x.dot(ax) - b.dot(x))
        i = len(history) - 1
        window = max(10, i // 10)
        if (progress_window and i > window and history[-1] < 0
                and (history[-1] - history[-1 - window]) / history[-1] < 5e-4 * window):
            break
    return x, ax, products
