"""The notes' optimizer claims that are properties, each checked against its formula
(computed here in float64) on minigrad's own optimizers and schedulers."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn, optim
from minigrad.optim import lr_scheduler as S


def run(optimizer_factory, gradient, start, steps, scheduler_factory=None):
    """Iterates of an optimizer when the gradient at p is gradient(p, t)."""
    point = nn.Parameter(np.array(start, dtype=np.float64))
    optimizer = optimizer_factory([point])
    scheduler = scheduler_factory(optimizer) if scheduler_factory else None
    path = [point.array.copy()]
    for t in range(steps):
        point.grad = mg.Tensor(np.asarray(gradient(point.array.copy(), t), dtype=np.float64))
        optimizer.step()
        if scheduler:
            scheduler.step()
        path.append(point.array.copy())
    return np.array(path), optimizer


# ------------------------------------------------------------------ momentum
@pytest.mark.parametrize("mu", [0.5, 0.9, 0.99])
def test_momentum_step_grows_to_lr_over_one_minus_mu(mu):
    lr, steps = 0.01, 2000
    path, _ = run(lambda ps: optim.SGD(ps, lr=lr, momentum=mu), lambda p, t: np.ones(1),
                  [0.0], steps)
    step = -np.diff(path[:, 0])
    t = np.arange(1, steps + 1)
    np.testing.assert_allclose(step, lr * (1 - mu ** t) / (1 - mu), rtol=1e-9)
    assert step[-1] == pytest.approx(lr / (1 - mu), rel=1e-6)  # 10x plain SGD's at mu = 0.9


def test_momentum_averages_noise_away():
    """10,000 independent coordinates with gradient 1 + xi: after t steps the buffer has
    mean (1 - mu^t) / (1 - mu) and std sqrt((1 - mu^2t) / (1 - mu^2))."""
    mu, steps = 0.9, 200
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((steps, 10_000))
    _, optimizer = run(lambda ps: optim.SGD(ps, lr=0.01, momentum=mu),
                       lambda p, t: 1.0 + noise[t], np.zeros(10_000), steps)
    buffer = next(iter(optimizer.state.values()))["momentum_buffer"]
    mean, std = (1 - mu ** steps) / (1 - mu), math.sqrt((1 - mu ** (2 * steps)) / (1 - mu ** 2))
    assert buffer.mean() == pytest.approx(mean, rel=0.01)
    assert buffer.std() == pytest.approx(std, rel=0.03)
    # signal-to-noise ratio against SGD's 1 / 1: sqrt((1 + mu) / (1 - mu)) = 4.36
    assert buffer.mean() / buffer.std() == pytest.approx(math.sqrt((1 + mu) / (1 - mu)), rel=0.04)


def test_ravine_sgd_zigzags_momentum_turns_slowly():
    curvature = np.array([1.0, 50.0])
    lr, mu, steps = 0.035, 0.9, 100
    sgd, _ = run(lambda ps: optim.SGD(ps, lr=lr), lambda p, t: curvature * p, [-3.0, 1.0], steps)
    np.testing.assert_allclose(sgd[:, 1], (1 - lr * 50.0) ** np.arange(steps + 1), rtol=1e-9)
    assert np.all(np.sign(sgd[1:, 1]) != np.sign(sgd[:-1, 1]))  # a reversal at every step
    slow = lr * (1 - mu)
    heavy, _ = run(lambda ps: optim.SGD(ps, lr=slow, momentum=mu), lambda p, t: curvature * p,
                   [-3.0, 1.0], steps)
    # the heavy ball's y rotates by theta a step: about steps * theta / pi sign changes
    theta = math.acos((1 + mu - slow * 50.0) / (2 * math.sqrt(mu)))
    reversals = np.sum(np.sign(heavy[1:, 1]) != np.sign(heavy[:-1, 1]))
    assert abs(reversals - steps * theta / math.pi) <= 1.5
    assert np.linalg.norm(heavy[-1]) < np.linalg.norm(sgd[-1]) / 5


# ------------------------------------------------------------------ Nesterov
def rosenbrock_gradient(p, t=None):
    return np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2),
                     200 * (p[1] - p[0] ** 2)])


@pytest.mark.parametrize("mu", [0.5, 0.9])
def test_nesterov_two_forms_are_one_trajectory_shifted(mu):
    """Sutskever's v <- mu v - lr grad(theta + mu v), theta <- theta + v, against PyTorch's
    form, which stores p = theta + mu v."""
    lr, steps, start = 5e-4, 300, np.array([-1.5, 2.0])
    stored, _ = run(lambda ps: optim.SGD(ps, lr=lr, momentum=mu, nesterov=True),
                    rosenbrock_gradient, start, steps)
    theta, velocity = start.copy(), np.zeros(2)
    for t in range(steps):
        np.testing.assert_allclose(stored[t], theta + mu * velocity, rtol=1e-10, atol=1e-12)
        velocity = mu * velocity - lr * rosenbrock_gradient(theta + mu * velocity)
        theta = theta + velocity
    assert np.abs(stored[1:] - np.array(stored[0])).max() > 0.01  # it moved
    np.testing.assert_allclose(stored[1], start - lr * (1 + mu) * rosenbrock_gradient(start))


# ------------------------------------------------------------------ AdaGrad and RMSProp
def test_adagrad_step_size_only_shrinks_rmsprop_recovers():
    rng = np.random.default_rng(1)
    # large gradients first, then small ones: a slope, then a plateau
    gradients = np.concatenate([rng.normal(0, 10, (50, 5)), rng.normal(0, 0.01, (450, 5))])
    lr, eps = 0.1, 1e-10
    path, _ = run(lambda ps: optim.Adagrad(ps, lr=lr), lambda p, t: gradients[t], np.zeros(5),
                  len(gradients))
    accumulated = np.cumsum(gradients ** 2, axis=0)
    np.testing.assert_allclose(-np.diff(path, axis=0),
                               lr * gradients / (np.sqrt(accumulated) + eps), rtol=1e-9,
                               atol=1e-15)  # steps are read back as differences of positions
    step_size = lr / (np.sqrt(accumulated) + eps)
    assert np.all(np.diff(step_size, axis=0) <= 0)  # monotone, whatever the gradients do
    alpha = 0.99
    path, _ = run(lambda ps: optim.RMSprop(ps, lr=lr, alpha=alpha), lambda p, t: gradients[t],
                  np.zeros(5), len(gradients))
    square_avg, expected = np.zeros(5), []
    for g in gradients:
        square_avg = alpha * square_avg + (1 - alpha) * g * g
        expected.append(lr * g / (np.sqrt(square_avg) + 1e-8))
    np.testing.assert_allclose(-np.diff(path, axis=0), expected, rtol=1e-8, atol=1e-15)
    rms_size = lr / (np.sqrt(square_avg) + 1e-8)
    assert np.all(rms_size > 100 * step_size[-1])  # the leaky average forgot the slope


# ------------------------------------------------------------------ Adam's first step
@pytest.mark.parametrize("scale", [1e-4, 1.0, 1e3])
def test_adam_first_step_with_and_without_bias_correction(scale):
    """With bias correction the first step is lr g / (|g| + eps): lr per coordinate whatever
    the gradient's size. Without it, m = (1 - b1) g and v = (1 - b2) g^2 give
    lr (1 - b1) |g| / (sqrt(1 - b2) |g| + eps): 3.16 lr once |g| >> eps / sqrt(1 - b2), so
    the correction makes the first step smaller."""
    lr, (b1, b2), eps = 1e-3, (0.9, 0.999), 1e-8
    g = np.random.default_rng(2).normal(size=6) * scale
    path, _ = run(lambda ps: optim.Adam(ps, lr=lr), lambda p, t: g, np.zeros(6), 1)
    step = path[0] - path[1]
    np.testing.assert_allclose(step, lr * g / (np.abs(g) + eps), rtol=1e-9)
    uncorrected = lr * (1 - b1) * g / (np.sqrt((1 - b2) * g * g) + eps)
    ratio = (1 - b1) * (np.abs(g) + eps) / (math.sqrt(1 - b2) * np.abs(g) + eps)
    np.testing.assert_allclose(uncorrected / step, ratio, rtol=1e-9)
    if scale >= 1:
        np.testing.assert_allclose(uncorrected / step, 3.1623, rtol=1e-4)


def test_adam_steps_follow_the_corrected_formula():
    lr, (b1, b2), eps, g = 1e-3, (0.9, 0.999), 1e-8, 0.01
    path, _ = run(lambda ps: optim.Adam(ps, lr=lr), lambda p, t: np.array([g]), [0.0], 50)
    t = np.arange(1, 51)
    m_hat = g * (1 - b1 ** t) / (1 - b1 ** t)
    v_hat = g * g * (1 - b2 ** t) / (1 - b2 ** t)
    np.testing.assert_allclose(-np.diff(path[:, 0]), lr * m_hat / (np.sqrt(v_hat) + eps),
                               rtol=1e-9)


# ------------------------------------------------------------------ the three decays
DECAYS = [
    ("exponential", lambda o: S.ExponentialDecayLR(o, k=0.1), lambda t: 0.1 * math.exp(-0.1 * t)),
    ("time-based", lambda o: S.InverseTimeDecayLR(o, k=0.1), lambda t: 0.1 / (1 + 0.1 * t)),
    ("step", lambda o: S.StepDecayLR(o, drop=0.5, epochs_per_drop=10),
     lambda t: 0.1 * 0.5 ** math.floor(t / 10)),
]


@pytest.mark.parametrize("name, make, formula", DECAYS, ids=[d[0] for d in DECAYS])
def test_three_decays_follow_their_formulas(name, make, formula):
    optimizer = optim.SGD([nn.Parameter(np.zeros(1))], lr=0.1)
    scheduler = make(optimizer)
    for t in range(60):
        assert optimizer.param_groups[0]["lr"] == pytest.approx(formula(t), rel=1e-12), (name, t)
        optimizer.step()
        scheduler.step()


# ------------------------------------------------------------------ the milestone
def test_loss_drops_right_after_a_milestone():
    """SGD on f = h x^2 / 2 with gradient noise sigma (10,000 coordinates) settles where
    E f = lr sigma^2 / (2 (2 - lr h)). MultiStepLR halves lr after epochs 5 and 8 (20 steps
    each): the loss is flat before each cut, and falls to the new level right after it."""
    h, sigma, lr, per_epoch = 1.0, 1.0, 0.5, 20
    rng = np.random.default_rng(3)
    noise = rng.standard_normal((10 * per_epoch, 10_000))
    path, _ = run(lambda ps: optim.SGD(ps, lr=lr), lambda p, t: h * p + sigma * noise[t],
                  np.zeros(10_000), 10 * per_epoch,
                  lambda o: S.LambdaLR(o, lambda t: 0.5 ** ((t >= 5 * per_epoch)
                                                             + (t >= 8 * per_epoch))))
    loss = 0.5 * h * (path[1:] ** 2).mean(axis=1)
    epoch_loss = loss.reshape(10, per_epoch).mean(axis=1)
    level = lambda rate: rate * sigma ** 2 / (2 * (2 - rate * h))
    assert epoch_loss[4] == pytest.approx(level(lr), rel=0.05)
    assert epoch_loss[7] == pytest.approx(level(lr / 2), rel=0.05)
    assert epoch_loss[9] == pytest.approx(level(lr / 4), rel=0.05)
    for cut in (5, 8):  # epochs are 0-based here: the cut is between cut - 1 and cut
        before = epoch_loss[cut - 2] - epoch_loss[cut - 1]
        after = epoch_loss[cut - 1] - epoch_loss[cut]
        assert after > 0.5 * (epoch_loss[cut - 1] - level(lr / 2 ** (1 + (cut == 8))))
        assert after > 10 * abs(before)


def test_multistep_scheduler_per_epoch_drives_the_same_cut():
    """The same cut through MultiStepLR stepped once per 'epoch' of 20 steps, as Trainer does."""
    optimizer = optim.SGD([nn.Parameter(np.zeros(1))], lr=0.5)
    scheduler = S.MultiStepLR(optimizer, milestones=[5, 8], gamma=0.5)
    lrs = []
    for epoch in range(10):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert lrs == [0.5 * 0.5 ** ((e >= 5) + (e >= 8)) for e in range(10)]
