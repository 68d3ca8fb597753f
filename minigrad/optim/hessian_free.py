"""Hessian-free optimisation (Martens, 2010): truncated Newton steps from curvature-vector
products by double backward, the Hessian never formed."""
import numpy as np

from ..autograd.functional import graph_hvp, graph_jvp, graph_vjp
from ..tensor import Tensor
from .closure import check_graph_kept, run
from .curvature import conjugate_gradient
from .flat import add_to_params, flatten, unflatten
from .optimizer import Optimizer, nonnegative, positive

CURVATURES = ("hessian", "gauss-newton")


class HessianFree(Optimizer):
    """Each step approximately solves the damped Newton system by conjugate gradient,

        (B + lambda I) delta = -g,    x <- x + t delta,

    with B the Hessian H (``curvature="hessian"``) or the Gauss-Newton matrix G = J^T H_L J
    (``"gauss-newton"``: J the Jacobian of the model's outputs, H_L the Hessian of the loss in
    those outputs; positive semi-definite for convex losses such as cross-entropy, Martens'
    choice for networks). CG runs at most ``cg_max_iter`` products, starts from ``decay``
    times the previous step, stops early on Martens' relative-progress test, and stops at
    negative curvature (truncated Newton). Martens' damping: with rho the ratio of the actual
    change of the loss to the one the undamped quadratic model predicts, lambda *= 3/2 if
    rho < 1/4 and lambda *= 2/3 if rho > 3/4. The step length t starts at ``lr`` and shrinks
    by 0.8 until the Armijo condition L(x + t delta) <= L(x) + 0.01 t g.delta holds; if it
    never does within ``max_backtracks`` tries, the parameters do not move.

    ``step(closure)``: the closure computes and returns the loss, or with
    ``curvature="gauss-newton"`` the pair (loss, outputs), the loss computed from the
    outputs. It may call no backward (HessianFree differentiates the loss itself, and then
    evaluates the backtracking trials without a graph), or it may be written as for LBFGS,
    zeroing the gradients and calling ``loss.backward(create_graph=True)``: the graph must
    survive, since HessianFree differentiates the loss twice (see ``closure.py``). Cost per step: one gradient, then per CG iteration one product of about two
    backward passes (Hessian) or three (Gauss-Newton: J v, H_L u, J^T w), plus one forward pass
    per backtrack; memory a few parameter vectors plus the graph of the gradient. When to
    use: full-batch or large-batch training of small networks where first-order methods crawl
    through ill-conditioning; far more work per step than SGD, so worth it only when a step
    is expensive to take badly.
    """
    constraints = {"lr": nonnegative, "damping": nonnegative, "cg_max_iter": positive,
                   "decay": nonnegative}

    def __init__(self, params, lr=1.0, damping=1.0, cg_max_iter=50, cg_tol=1e-10,
                 curvature="hessian", decay=0.95, max_backtracks=20):
        if curvature not in CURVATURES:
            raise ValueError(f"curvature must be one of {', '.join(CURVATURES)}; got "
                             f"{curvature!r}")
        super().__init__(params, dict(lr=lr, damping=damping, cg_max_iter=cg_max_iter,
                                      cg_tol=cg_tol, curvature=curvature, decay=decay,
                                      max_backtracks=max_backtracks))
        if len(self.param_groups) != 1:
            raise ValueError("HessianFree doesn't support per-parameter options (parameter "
                             "groups)")
        self._params = self.param_groups[0]["params"]

    def _loss_of(self, result):
        if self.param_groups[0]["curvature"] == "gauss-newton":
            if not (isinstance(result, tuple) and len(result) == 2):
                raise TypeError("with curvature='gauss-newton' the closure must return the pair "
                                f"(loss, outputs); got {type(result).__name__}")
            return result
        return result, None

    def _curvature_product(self, loss, outputs):
        """(flat gradient, v -> B v) at the current parameters."""
        params = self._params
        if outputs is None:
            grads, hessian_product = graph_hvp(loss, params)

            def product(v):
                return flatten(hessian_product(unflatten(v, params)), params).astype(np.float64)

            return flatten(grads, params).astype(np.float64), product
        # G v = J^T (H_L (J v)): forward through the model, curvature of the loss, back again.
        jacobian_product = graph_jvp([outputs], params)
        output_grads, loss_curvature = graph_hvp(loss, [outputs])
        seed = Tensor._make(np.ones(loss.shape, loss.dtype), False, None)
        gradient = flatten(graph_vjp([loss], params, [seed]), params).astype(np.float64)

        def product(v):
            (jv,) = jacobian_product(unflatten(v, params))
            if jv is None:
                return np.zeros_like(v)
            (hjv,) = loss_curvature([jv])
            if hjv is None:
                return np.zeros_like(v)
            return flatten(graph_vjp([outputs], params, [hjv]), params).astype(np.float64)

        return gradient, product

    def step(self, closure):
        group = self.param_groups[0]
        params = self._params
        state = self.state.setdefault(params[0], {"n_iter": 0, "func_evals": 0, "products": 0})
        damping = state.get("damping", group["damping"])
        result, ran_backward = run(closure, params)
        loss, outputs = self._loss_of(result)
        check_graph_kept(loss, "HessianFree")
        loss_value = float(loss)
        state["func_evals"] += 1
        gradient, product = self._curvature_product(loss, outputs)
        previous = state.get("direction")
        start = None if previous is None else group["decay"] * previous
        delta, a_delta, used = conjugate_gradient(lambda v: product(v) + damping * v, -gradient,
                                                  start, group["cg_max_iter"], group["cg_tol"],
                                                  progress_window=True)
        state["products"] += used
        slope = float(gradient.dot(delta))
        if slope >= 0:  # CG gave no descent direction (indefinite B): fall back to -g
            delta, slope = -gradient, -float(gradient.dot(gradient))
            a_delta = None
        # The undamped quadratic model's predicted change for the first trial, t = lr:
        # t g.delta + t^2 delta.B delta / 2 (B delta is CG's A delta minus the damping's part).
        t, ratio = group["lr"], None
        curvature = delta.dot(a_delta - damping * delta) if a_delta is not None else 0.0
        predicted = t * slope + 0.5 * t * t * curvature
        start_values = [p.array.copy() for p in params]
        for _ in range(group["max_backtracks"]):
            add_to_params(params, t, delta)
            # Only the loss is needed, so no graph, unless the closure's own backward needs one.
            trial, _ = run(closure, params, grad_enabled=ran_backward)
            new_loss = float(self._loss_of(trial)[0])
            state["func_evals"] += 1
            if ratio is None:  # the damping judges the step CG proposed, before backtracking
                ratio = (new_loss - loss_value) / predicted if predicted < 0 else -1.0
            if new_loss <= loss_value + 0.01 * t * slope:
                break
            for p, original in zip(params, start_values):
                p.array[...] = original
            t *= 0.8
        if ratio < 0.25:
            damping *= 1.5
        elif ratio > 0.75:
            damping *= 2.0 / 3.0
        state.update(damping=damping, direction=delta.astype(params[0].dtype))
        state["n_iter"] += 1
        self._step_count += 1
        return loss
