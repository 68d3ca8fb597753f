"""BFGS, conjugate gradient, Gauss-Newton, Levenberg-Marquardt and Hessian-free: one step
against the closed forms, convergence to known optima, exact resume, error messages."""
import os

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn, optim

RNG = np.random.default_rng(0)
HAS_MNIST = os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist"))

# Exponential decay y = a exp(-k t) + c, sampled without noise: the optimum is (a, k, c).
T = np.linspace(0.0, 4.0, 30)
DECAY = np.array([2.5, 1.3, 0.4])
Y = DECAY[0] * np.exp(-DECAY[1] * T) + DECAY[2]


def decay_residual(p):
    return p[0] * (mg.Tensor(T) * (-p[1])).exp() + p[2] - mg.Tensor(Y)


def decay_jacobian(a, k, c):
    """dr/d(a, k, c), written out."""
    e = np.exp(-k * T)
    return np.stack([e, -a * T * e, np.ones_like(T)], axis=1)


def rosenbrock_residual(p):  # 0.5 |r|^2 = Rosenbrock / 2 with r = (1 - x, 10 (y - x^2))
    return mg.stack([1.0 - p[0], 10.0 * (p[1] - p[0] * p[0])])


def rosenbrock(p):
    return (1.0 - p[0]) ** 2 + 100.0 * (p[1] - p[0] ** 2) ** 2


def gradient_closure(opt, loss_of):
    def closure():
        opt.zero_grad()
        loss = loss_of()
        loss.backward()
        return loss
    return closure


# ---------------------------------------------------------------- Gauss-Newton, LM
@pytest.mark.parametrize("solver", ["dense", "cg"])
def test_gauss_newton_solves_linear_least_squares_in_one_step(solver):
    a, b = RNG.standard_normal((20, 5)), RNG.standard_normal(20)
    p = nn.Parameter(RNG.standard_normal(5))
    opt = optim.GaussNewton([p], solver=solver)
    loss = opt.step(lambda: mg.Tensor(a) @ p - mg.Tensor(b))
    np.testing.assert_allclose(p.array, np.linalg.solve(a.T @ a, a.T @ b), rtol=1e-9)
    assert loss.item() > 0 and opt.state[p]["n_iter"] == 1


def test_levenberg_marquardt_tends_to_gauss_newton_and_to_gradient_descent():
    start = np.array([2.0, 1.0, 0.5])
    r0 = start[0] * np.exp(-start[1] * T) + start[2] - Y
    jac = decay_jacobian(*start)
    gauss_newton_step = -np.linalg.solve(jac.T @ jac, jac.T @ r0)
    gradient = jac.T @ r0
    for damping, expected, rtol in [(1e-9, gauss_newton_step, 1e-6),
                                    (1e6, -gradient / 1e6, 1e-3)]:
        p = nn.Parameter(start.copy())
        optim.LevenbergMarquardt([p], damping=damping).step(lambda: decay_residual(p))
        np.testing.assert_allclose(p.array - start, expected, rtol=rtol)


@pytest.mark.parametrize("solver", ["dense", "cg"])
@pytest.mark.parametrize("method", ["GaussNewton", "LevenbergMarquardt"])
def test_least_squares_fits_reach_the_known_optimum(method, solver):
    p = nn.Parameter(np.array([1.0, 0.5, 0.0]))
    opt = getattr(optim, method)([p], solver=solver)
    for _ in range(15):
        opt.step(lambda: decay_residual(p))
    np.testing.assert_allclose(p.array, DECAY, rtol=1e-8)
    q = nn.Parameter(np.array([-1.2, 1.0]))
    opt = getattr(optim, method)([q], solver=solver)
    for _ in range(20):
        opt.step(lambda: rosenbrock_residual(q))
    np.testing.assert_allclose(q.array, [1.0, 1.0], atol=1e-8)


def test_levenberg_marquardt_never_raises_the_loss_and_adapts_its_damping():
    p = nn.Parameter(np.array([0.1, 4.0, -2.0]))  # far away: plain Gauss-Newton steps overshoot
    opt = optim.LevenbergMarquardt([p], damping=1e-6)
    losses = [opt.step(lambda: decay_residual(p)).item() for _ in range(40)]
    assert all(b <= a for a, b in zip(losses, losses[1:]))
    assert opt.state[p]["rejected"] > 0  # some tries were refused, and the damping rose
    np.testing.assert_allclose(p.array, DECAY, rtol=1e-6)


# ---------------------------------------------------------------- BFGS, CG
def conjugate_gradient(beta):
    return lambda ps, **options: optim.ConjugateGradient(ps, beta=beta, **options)


LINE_SEARCH_METHODS = {
    "bfgs": optim.BFGS,
    "cg_fletcher_reeves": conjugate_gradient("fletcher-reeves"),
    "cg_polak_ribiere": conjugate_gradient("polak-ribiere"),
    "cg_hestenes_stiefel": conjugate_gradient("hestenes-stiefel"),
}


@pytest.mark.parametrize("name", LINE_SEARCH_METHODS)
def test_quadratic_is_minimised_in_at_most_n_iterations_with_exact_line_search(name):
    n = 8
    a = RNG.standard_normal((n, n))
    matrix, b = a @ a.T + 0.5 * np.eye(n), RNG.standard_normal(n)
    p = nn.Parameter(np.zeros(n))
    # On a quadratic the search's cubic interpolation is exact, so a tiny c2 makes it exact.
    opt = LINE_SEARCH_METHODS[name]([p], max_iter=n, max_eval=10 * n, c2=1e-6,
                                    tolerance_change=0.0)
    opt.step(gradient_closure(opt, lambda: 0.5 * (p @ mg.Tensor(matrix) @ p)
                              - (mg.Tensor(b) * p).sum()))
    assert opt.state[p]["n_iter"] <= n
    np.testing.assert_allclose(p.array, np.linalg.solve(matrix, b), rtol=1e-7)


@pytest.mark.parametrize("name", LINE_SEARCH_METHODS)
def test_line_search_methods_converge_on_rosenbrock(name):
    p = nn.Parameter(np.array([-1.2, 1.0]))
    opt = LINE_SEARCH_METHODS[name]([p], max_iter=500, tolerance_change=0.0)
    opt.step(gradient_closure(opt, lambda: rosenbrock(p)))
    np.testing.assert_allclose(p.array, [1.0, 1.0], atol=1e-5)


def test_two_iterations_without_line_search_follow_the_update_rules_by_hand():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 3))
    matrix, b, x0 = a @ a.T + np.eye(3), rng.standard_normal(3), rng.standard_normal(3)

    def grad(x):
        return matrix @ x - b

    # First iteration (all): steepest descent with L-BFGS's first step min(1, 1/|g|_1) lr.
    lr = 0.1
    g0 = grad(x0)
    t0 = min(1.0, 1.0 / np.abs(g0).sum()) * lr
    x1 = x0 - t0 * g0
    g1 = grad(x1)
    s, y = -t0 * g0, g1 - g0
    rho = 1.0 / y.dot(s)
    h0 = y.dot(s) / y.dot(y) * np.eye(3)  # Nocedal & Wright's scaling of the first H
    h1 = (np.eye(3) - rho * np.outer(s, y)) @ h0 @ (np.eye(3) - rho * np.outer(y, s))
    h1 += rho * np.outer(s, s)
    fletcher_reeves = g1.dot(g1) / g0.dot(g0)
    polak_ribiere = g1.dot(g1 - g0) / g0.dot(g0)
    assert polak_ribiere < 0  # so PR+ clips it to 0: a steepest-descent step
    cases = [(optim.BFGS, {}, x1 - lr * h1 @ g1),
             (optim.ConjugateGradient, {"beta": "fletcher-reeves"},
              x1 + lr * (-g1 - fletcher_reeves * g0)),
             (optim.ConjugateGradient, {"beta": "polak-ribiere"}, x1 - lr * g1)]
    for make, options, expected in cases:
        p = nn.Parameter(x0.copy())
        opt = make([p], lr=lr, max_iter=2, max_eval=10, line_search_fn=None, **options)
        opt.step(gradient_closure(opt, lambda: 0.5 * (p @ mg.Tensor(matrix) @ p)
                                  - (mg.Tensor(b) * p).sum()))
        np.testing.assert_allclose(p.array, expected, rtol=1e-12)


def test_bfgs_first_iteration_is_lbfgs_first_step():
    """No curvature yet: both move along -g by the same line search from the same trial."""
    results = []
    for make in (optim.BFGS, lambda ps, **kw: optim.LBFGS(ps, line_search_fn="strong_wolfe",
                                                          **kw)):
        p = nn.Parameter(np.array([-1.2, 1.0]))
        opt = make([p], max_iter=1)
        opt.step(gradient_closure(opt, lambda: rosenbrock(p)))
        results.append(p.array.copy())
    np.testing.assert_array_equal(results[0], results[1])


# ---------------------------------------------------------------- Hessian-free
def newton_logistic_regression(x, y, l2):
    """The optimum of mean logistic loss + l2 |w|^2 by Newton's method in float64."""
    w = np.zeros(x.shape[1])
    for _ in range(30):
        prob = 1.0 / (1.0 + np.exp(-x @ w))
        gradient = x.T @ (prob - y) / len(y) + 2 * l2 * w
        hessian = x.T @ (x * (prob * (1 - prob))[:, None]) / len(y) + 2 * l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    return w


@pytest.mark.parametrize("curvature", ["hessian", "gauss-newton"])
def test_hessian_free_reaches_the_logistic_regression_optimum(curvature):
    x = RNG.standard_normal((200, 5))
    y = (RNG.random(200) < 1 / (1 + np.exp(-x @ RNG.standard_normal(5)))).astype(np.float64)
    w = nn.Parameter(np.zeros(5))
    opt = optim.HessianFree([w], damping=0.1, curvature=curvature)

    def closure():
        logits = mg.Tensor(x) @ w
        loss = nn.functional.binary_cross_entropy_with_logits(logits, mg.Tensor(y))
        loss = loss + 0.01 * (w * w).sum()
        return (loss, logits) if curvature == "gauss-newton" else loss

    for _ in range(20):
        opt.step(closure)
    np.testing.assert_allclose(w.array, newton_logistic_regression(x, y, 0.01), atol=1e-6)


def test_hessian_free_converges_on_rosenbrock():
    p = nn.Parameter(np.array([-1.2, 1.0]))
    opt = optim.HessianFree([p], damping=0.1)
    for _ in range(100):
        opt.step(lambda: rosenbrock(p))
    np.testing.assert_allclose(p.array, [1.0, 1.0], atol=1e-6)


@pytest.mark.skipif(not HAS_MNIST, reason="needs MNIST in $MINIGRAD_DATA")
def test_hessian_free_trains_a_small_mlp_on_mnist_full_batch():
    from minigrad import data
    mnist = data.MNIST(train=True)
    x = mg.Tensor(mnist.data[:1000].reshape(1000, -1).astype(np.float32) / 255)
    y = mg.tensor(mnist.targets[:1000])
    mg.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 32), nn.Tanh(), nn.Linear(32, 10))
    opt = optim.HessianFree(model.parameters(), curvature="gauss-newton", cg_max_iter=20)

    def closure():
        outputs = model(x)
        return nn.functional.cross_entropy(outputs, y), outputs

    first = opt.step(closure).item()
    for _ in range(7):
        opt.step(closure)
    with mg.no_grad():
        loss = nn.functional.cross_entropy(model(x), y).item()
        accuracy = (model(x).argmax(1).array == mnist.targets[:1000]).mean()
    assert first > 2.0 and loss < 0.8 and accuracy > 0.85  # chance: 2.3 and 10%


# ---------------------------------------------------------------- resume, errors
X_SMALL = np.random.default_rng(0).standard_normal((16, 3)).astype(np.float32)
Y_SMALL = np.random.default_rng(1).integers(0, 2, 16)

# name -> (make optimizer, what its closure returns: "backward", "loss", "residual", "pair")
RESUMABLE = {
    "bfgs": (lambda ps: optim.BFGS(ps, max_iter=3), "backward"),
    "cg": (lambda ps: optim.ConjugateGradient(ps, max_iter=3, beta="hestenes-stiefel"),
           "backward"),
    "gauss_newton": (lambda ps: optim.GaussNewton(ps, damping=1e-2, solver="cg",
                                                  cg_max_iter=5), "residual"),
    "levenberg_marquardt": (lambda ps: optim.LevenbergMarquardt(ps), "residual"),
    "hessian_free": (lambda ps: optim.HessianFree(ps, cg_max_iter=5), "loss"),
    "hessian_free_gn": (lambda ps: optim.HessianFree(ps, cg_max_iter=5,
                                                     curvature="gauss-newton"), "pair"),
}


def build(make):
    mg.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    return model, make(list(model.parameters()))


def train(model, opt, kind, steps):
    x, y = mg.Tensor(X_SMALL), mg.tensor(Y_SMALL)

    def closure():
        outputs = model(x)
        if kind == "residual":
            return outputs[:, 0] - mg.Tensor(Y_SMALL.astype(np.float32))
        loss = nn.functional.cross_entropy(outputs, y)
        if kind == "backward":
            opt.zero_grad()
            loss.backward()
        return (loss, outputs) if kind == "pair" else loss

    for _ in range(steps):
        opt.step(closure)


@pytest.mark.parametrize("name", RESUMABLE)
def test_resume_is_bit_exact(name, tmp_path):
    make, kind = RESUMABLE[name]
    model, opt = build(make)
    train(model, opt, kind, 6)
    reference = [p.array.copy() for p in model.parameters()]
    model, opt = build(make)
    train(model, opt, kind, 3)
    mg.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "ckpt")
    checkpoint = mg.load(tmp_path / "ckpt")
    model, opt = build(make)
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])
    train(model, opt, kind, 3)
    for p, expected in zip(model.parameters(), reference):
        np.testing.assert_array_equal(p.array, expected)
    assert not np.array_equal(reference[0], build(make)[0][0].weight.array)  # it did move


def test_bad_arguments_are_refused_with_a_named_reason():
    p = nn.Parameter(np.zeros(3))
    with pytest.raises(ValueError, match=r"dense 5000 x 5000 inverse-Hessian.*max_params=4000"):
        optim.BFGS([nn.Parameter(np.zeros(5000))])
    with pytest.raises(ValueError, match="beta must be one of fletcher-reeves"):
        optim.ConjugateGradient([p], beta="dai-yuan")
    with pytest.raises(ValueError, match="only 'strong_wolfe'"):
        optim.ConjugateGradient([p], line_search_fn="armijo")
    with pytest.raises(ValueError, match="Invalid c2 value: 1.5"):
        optim.BFGS([p], c2=1.5)
    with pytest.raises(ValueError, match="solver must be one of auto, dense, cg; got 'qr'"):
        optim.GaussNewton([p], solver="qr")
    with pytest.raises(ValueError, match="Invalid damping value: 0"):
        optim.LevenbergMarquardt([p], damping=0)
    with pytest.raises(ValueError, match="curvature must be one of hessian, gauss-newton"):
        optim.HessianFree([p], curvature="fisher")
    with pytest.raises(TypeError, match="closure must return the residual Tensor; got float"):
        optim.GaussNewton([p]).step(lambda: 1.0)
    with pytest.raises(ValueError, match="residual does not depend on the parameters"):
        optim.GaussNewton([p]).step(lambda: mg.Tensor(np.ones(2)))
    with pytest.raises(TypeError, match=r"closure must return the pair \(loss, outputs\)"):
        optim.HessianFree([p], curvature="gauss-newton").step(lambda: (p * p).sum())
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        optim.BFGS([{"params": [p]}, {"params": [nn.Parameter(np.zeros(1))]}])


# ---------------------------------------------------------------- the closure protocol
# Every closure optimizer takes PyTorch's closure (zero the gradients, backward, return the
# loss) as well as one that only returns the loss. Newton and HessianFree differentiate the
# loss twice, so their closure's backward must keep the graph (create_graph=True).
CLOSURE_OPTIMIZERS = {
    "LBFGS": lambda ps: optim.LBFGS(ps, line_search_fn="strong_wolfe"),
    "LBFGS-fixed-step": lambda ps: optim.LBFGS(ps, lr=0.5),
    "BFGS": lambda ps: optim.BFGS(ps),
    "ConjugateGradient": lambda ps: optim.ConjugateGradient(ps),
    "Newton": lambda ps: optim.Newton(ps, damping=1e-3),
    "HessianFree": lambda ps: optim.HessianFree(ps, damping=0.1),
}
CLOSURE_KINDS = {  # how the closure ends -> the backward it calls
    "returns the loss": lambda loss: None,
    "backward()": lambda loss: loss.backward(),
    "backward(create_graph=True)": lambda loss: loss.backward(create_graph=True),
}
NEEDS_THE_GRAPH = {"Newton", "HessianFree"}


def run_rosenbrock(name, kind, steps=60):
    p = nn.Parameter(np.array([-1.2, 1.0]))
    opt = CLOSURE_OPTIMIZERS[name]([p])
    grad_modes = []

    def closure():
        opt.zero_grad()
        loss = rosenbrock(p)
        grad_modes.append(mg.is_grad_enabled())
        CLOSURE_KINDS[kind](loss)
        return loss

    for _ in range(steps):
        opt.step(closure)
    return p.array, grad_modes


@pytest.mark.parametrize("kind", CLOSURE_KINDS)
@pytest.mark.parametrize("name", CLOSURE_OPTIMIZERS)
def test_every_closure_optimizer_takes_both_kinds_of_closure(name, kind):
    if name in NEEDS_THE_GRAPH and kind == "backward()":
        with pytest.raises(RuntimeError, match=rf"{name} differentiates the closure's loss "
                           r"twice.*freed its graph.*loss.backward\(create_graph=True\)"):
            run_rosenbrock(name, kind)
        return
    reached, _ = run_rosenbrock(name, kind)
    np.testing.assert_allclose(reached, [1.0, 1.0], atol=1e-3)
    # The optimizer sees the same gradients whoever computed them: the same path.
    np.testing.assert_allclose(reached, run_rosenbrock(name, "returns the loss")[0], rtol=1e-12)


def test_hessian_free_trials_build_a_graph_only_when_the_closure_runs_backward():
    _, modes = run_rosenbrock("HessianFree", "returns the loss", steps=3)
    assert False in modes  # backtracking trials: loss only, no graph
    _, modes = run_rosenbrock("HessianFree", "backward(create_graph=True)", steps=3)
    assert all(modes)  # the closure's own backward needs one


def test_hessian_free_gauss_newton_pair_closure_may_call_backward():
    w = nn.Parameter(np.array([0.5, -0.5]))
    x = mg.Tensor(np.array([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.3]]))
    y = mg.Tensor(np.array([1.0, 0.0, 1.0]))
    opt = optim.HessianFree([w], damping=0.1, curvature="gauss-newton")

    def closure():
        opt.zero_grad()
        logits = x @ w
        loss = nn.functional.binary_cross_entropy_with_logits(logits, y) + (w * w).sum()
        loss.backward(create_graph=True)
        return loss, logits

    for _ in range(30):
        opt.step(closure)
    # The optimum of the convex loss: its gradient, written out, vanishes.
    prob = 1 / (1 + np.exp(-x.array @ w.array))
    gradient = x.array.T @ (prob - y.array) / 3 + 2 * w.array
    np.testing.assert_allclose(gradient, 0.0, atol=1e-8)


@pytest.mark.parametrize("name", ["GaussNewton", "LevenbergMarquardt"])
def test_least_squares_closure_calling_backward_is_refused_naming_the_protocol(name):
    p = nn.Parameter(np.array([2.0, 1.0, 0.5]))
    opt = getattr(optim, name)([p])

    def closure():
        opt.zero_grad()
        residual = decay_residual(p)
        (0.5 * (residual * residual).sum()).backward(retain_graph=True)
        return residual

    with pytest.raises(RuntimeError, match=rf"{name}'s closure returns the residual Tensor r "
                       r"\(it minimises 0.5 \|\|r\|\|\^2\) and calls no backward"):
        opt.step(closure)
    np.testing.assert_array_equal(p.array, [2.0, 1.0, 0.5])  # refused before any change


def test_line_search_closure_without_a_gradient_is_refused_by_name():
    p = nn.Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="BFGS's closure returned a loss that does not "
                       "require grad and called no backward"):
        optim.BFGS([p]).step(lambda: mg.tensor(1.0))
    with pytest.raises(TypeError, match="LBFGS's closure must return the loss Tensor; got "
                       "float"):
        optim.LBFGS([p]).step(lambda: 1.0)
