"""Every optimizer on the same problems, and the second-order methods."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn, optim


def ravine(p):
    """An ill-conditioned quadratic: curvature 1 along x, 50 along y; minimum at the origin."""
    return 0.5 * p[0] ** 2 + 25.0 * p[1] ** 2


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def saddle(p):
    """x^2 - y^2 + y^4/4: a saddle at the origin, minima at (0, +-sqrt 2)."""
    return p[0] ** 2 - p[1] ** 2 + 0.25 * p[1] ** 4


def make(name, lr, **options):
    return lambda params: getattr(optim, name)(params, lr=lr, **options)


# One row per optimizer: its settings and the neighbourhood it reaches, per problem.
# (optimizer, lr, options, ravine steps, saddle steps, Rosenbrock (lr, steps, tolerance) or None)
OPTIMIZERS = {
    "sgd": ("SGD", 0.03, {}, 500, 300, (1e-3, 6000, 0.15)),
    "momentum": ("SGD", 0.01, {"momentum": 0.9}, 400, 300, (1e-3, 3000, 1e-3)),
    "nesterov": ("SGD", 0.01, {"momentum": 0.9, "nesterov": True}, 400, 300, (1e-3, 3000, 1e-3)),
    "adagrad": ("Adagrad", 0.5, {}, 500, 300, (0.5, 6000, 0.1)),
    "adadelta": ("Adadelta", 1.0, {}, 2000, 2000, None),  # wanders: no decaying step size
    "rmsprop": ("RMSprop", 0.01, {}, 800, 500, (1e-3, 6000, 0.05)),
    "adam": ("Adam", 0.05, {}, 800, 500, (0.05, 4000, 1e-3)),
    "adamw": ("AdamW", 0.05, {"weight_decay": 0.0}, 800, 500, (0.05, 4000, 1e-3)),
    "amsgrad": ("Adam", 0.05, {"amsgrad": True}, 800, 500, (0.05, 4000, 1e-3)),
    "adamax": ("Adamax", 0.05, {}, 800, 500, (0.05, 4000, 1e-3)),
    "nadam": ("NAdam", 0.05, {}, 800, 500, (0.02, 6000, 0.02)),
    "radam": ("RAdam", 0.05, {}, 800, 500, None),  # its SGD warm-up steps diverge on Rosenbrock
    "asgd": ("ASGD", 0.03, {}, 500, 300, (1e-3, 6000, 0.15)),
    "rprop": ("Rprop", 0.01, {}, 300, 300, (1e-3, 6000, 0.01)),
}


def minimise(make, loss_fn, start, steps):
    p = nn.Parameter(np.array(start, dtype=np.float64))
    opt = make([p])
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(p).backward()
        opt.step()
    return p.array


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_ravine(name):
    optimizer, lr, options, steps, _, _ = OPTIMIZERS[name]
    final = minimise(make(optimizer, lr, **options), ravine, [3.0, 1.0], steps)
    assert np.linalg.norm(final) < 0.05


@pytest.mark.parametrize("name", [n for n, row in OPTIMIZERS.items() if row[5]])
def test_rosenbrock(name):
    optimizer, _, options, _, _, (lr, steps, tolerance) = OPTIMIZERS[name]
    final = minimise(make(optimizer, lr, **options), rosenbrock, [-1.5, 2.0], steps)
    np.testing.assert_allclose(final, [1, 1], atol=tolerance)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_saddle_escaped_to_a_minimum(name):
    optimizer, lr, options, _, steps, _ = OPTIMIZERS[name]
    x, y = minimise(make(optimizer, lr, **options), saddle, [1.0, 1e-3], steps)
    assert abs(x) < 0.05 and abs(abs(y) - np.sqrt(2)) < 0.05


def blobs(n=120, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    labels = rng.integers(0, 3, n)
    return (centers[labels] + 0.5 * rng.standard_normal((n, 2))).astype(np.float32), labels


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_small_classification_net(name):
    optimizer, lr, options, _, _, _ = OPTIMIZERS[name]
    mg.manual_seed(0)
    x, y = blobs()
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 3))
    opt = make(optimizer, lr, **options)(list(model.parameters()))
    for _ in range(150):
        opt.zero_grad()
        nn.functional.cross_entropy(model(mg.Tensor(x)), mg.tensor(y)).backward()
        opt.step()
    accuracy = (model(mg.Tensor(x)).argmax(1).array == y).mean()
    assert accuracy > 0.9


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_lbfgs_on_rosenbrock(line_search):
    p = nn.Parameter(np.array([-1.5, 2.0]))
    opt = optim.LBFGS([p], lr=1.0 if line_search else 0.1, max_iter=100,
                      line_search_fn=line_search, history_size=10)

    def closure():
        opt.zero_grad()
        loss = rosenbrock(p)
        loss.backward()
        return loss

    for _ in range(1 if line_search else 10):
        opt.step(closure)
    if line_search:
        np.testing.assert_allclose(p.array, [1, 1], atol=1e-4)
        assert opt.state[p]["n_iter"] < 60  # few iterations: the point of quasi-Newton
    else:
        assert rosenbrock(p).item() < rosenbrock(nn.Parameter(np.array([-1.5, 2.0]))).item()


def test_newton_solves_a_quadratic_in_one_step():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 4))
    matrix, b = a @ a.T + 4 * np.eye(4), rng.standard_normal(4)
    p = nn.Parameter(rng.standard_normal(4))
    opt = optim.Newton([p])
    opt.step(lambda: 0.5 * (p @ mg.Tensor(matrix) @ p) - (mg.Tensor(b) * p).sum())
    np.testing.assert_allclose(p.array, np.linalg.solve(matrix, b), rtol=1e-10)


def test_newton_refuses_too_many_parameters_and_singular_hessians():
    with pytest.raises(ValueError, match=r"2500 x 2500 Hessian.*max_params=2000"):
        optim.Newton([nn.Parameter(np.zeros((50, 50)))])
    p = nn.Parameter(np.ones(2))
    with pytest.raises(np.linalg.LinAlgError, match="damping > 0"):
        optim.Newton([p]).step(lambda: (p[0] * 2.0))
    optim.Newton([p], damping=1.0).step(lambda: (p[0] - 3.0) ** 2)  # damping makes it solvable
