"""The notes' optimizer claims on small problems, each measured with minigrad's optimizers and
set beside the formula that predicts it. Used by notes_reproduced.py; every function returns
plain numbers (and arrays for the figures)."""
import math

import numpy as np

import minigrad as mg
from minigrad import nn, optim
from minigrad.optim import lr_scheduler as S


def trajectory(make_optimizer, gradient, start, steps):
    """Iterates p_0 .. p_steps of an optimizer, the gradient at p given by ``gradient(p, t)``
    (a NumPy function, so that noise can be added); float64 throughout."""
    point = nn.Parameter(np.array(start, dtype=np.float64))
    optimizer = make_optimizer([point])
    path = [point.array.copy()]
    for t in range(steps):
        point.grad = mg.Tensor(np.asarray(gradient(point.array.copy(), t), dtype=np.float64))
        optimizer.step()
        path.append(point.array.copy())
    return np.array(path)


# ------------------------------------------------------------------ momentum
def momentum_speedup(lr=0.01, momentum=0.9, steps=100):
    """On a consistent gradient (f(p) = g p) the heavy ball's step after t steps is
    lr g (1 - mu^t) / (1 - mu), tending to lr g / (1 - mu): 10x plain SGD's at mu = 0.9."""
    path = trajectory(lambda ps: optim.SGD(ps, lr=lr, momentum=momentum),
                      lambda p, t: np.ones_like(p), [0.0], steps)
    measured = -np.diff(path[:, 0]) / lr  # each step in units of plain SGD's step
    predicted = (1 - momentum ** np.arange(1, steps + 1)) / (1 - momentum)
    return measured, predicted


def momentum_noise(lr=0.01, momentum=0.9, steps=20000, noise=1.0, seed=0):
    """Gradients g = 1 + noise * xi (xi standard normal). SGD's step has signal-to-noise ratio
    1 / noise; the buffer sums mu^k g_{t-k}: mean 1 / (1 - mu), std noise / sqrt(1 - mu^2),
    so its ratio is sqrt((1 + mu) / (1 - mu)) times SGD's (4.36 at mu = 0.9)."""
    rng = np.random.default_rng(seed)
    draws = 1.0 + noise * rng.standard_normal(steps)
    ratios = {}
    for name, mu in (("sgd", 0.0), ("momentum", momentum)):
        path = trajectory(lambda ps: optim.SGD(ps, lr=lr, momentum=mu),
                          lambda p, t: draws[t:t + 1], [0.0], steps)
        step = -np.diff(path[:, 0])[200:]  # past the buffer's warm-up
        ratios[name] = step.mean() / step.std()
    return ratios["momentum"] / ratios["sgd"], math.sqrt((1 + momentum) / (1 - momentum))


RAVINE_CURVATURES = np.array([1.0, 50.0])  # f = 0.5 x^2 + 25 y^2: condition number 50


def ravine(lr=0.035, momentum=0.9, steps=100, start=(-3.0, 1.0)):
    """SGD at lr, and momentum at lr (1 - mu) (the same long-run step on a steady slope), on
    the ravine. SGD's y is multiplied by 1 - lr h_y each step: negative, so it changes sign
    every step (the zigzag). The heavy ball's y rotates by theta per step, with
    cos(theta) = (1 + mu - lr' h_y) / (2 sqrt(mu)): it changes sign every pi / theta steps."""
    gradient = lambda p, t: RAVINE_CURVATURES * p
    sgd = trajectory(lambda ps: optim.SGD(ps, lr=lr), gradient, start, steps)
    slow = lr * (1 - momentum)
    heavy = trajectory(lambda ps: optim.SGD(ps, lr=slow, momentum=momentum), gradient, start,
                       steps)
    theta = math.acos((1 + momentum - slow * RAVINE_CURVATURES[1]) / (2 * math.sqrt(momentum)))
    return {"sgd": sgd, "momentum": heavy,
            "sgd_reversals": sign_changes(sgd[:, 1]) / steps,
            "momentum_reversals": sign_changes(heavy[:, 1]) / steps,
            "predicted_sgd_factor": 1 - lr * RAVINE_CURVATURES[1],
            "predicted_momentum_reversals": theta / math.pi,
            "sgd_distance": float(np.linalg.norm(sgd[-1])),
            "momentum_distance": float(np.linalg.norm(heavy[-1]))}


def sign_changes(values):
    return int(np.sum(np.sign(values[1:]) != np.sign(values[:-1])))


# ------------------------------------------------------------------ Nesterov, two forms
def nesterov_two_forms(lr=5e-4, momentum=0.9, steps=300, start=(-1.5, 2.0)):
    """Sutskever's form evaluates the gradient at the look-ahead point:
    v <- mu v - lr grad(theta + mu v), theta <- theta + v. PyTorch stores the look-ahead
    p = theta + mu v itself: b <- mu b + grad(p), p <- p - lr (grad(p) + mu b). The two are
    one trajectory, shifted by mu v. Run on Rosenbrock's valley (not a quadratic, so the
    match is not an accident of linearity)."""
    gradient = lambda p, t: np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2),
                                      200 * (p[1] - p[0] ** 2)])
    ahead = trajectory(lambda ps: optim.SGD(ps, lr=lr, momentum=momentum, nesterov=True),
                       gradient, start, steps)
    theta, velocity = np.array(start, dtype=np.float64), np.zeros(2)
    thetas, shifted = [theta.copy()], [theta.copy()]
    for t in range(steps):  # the look-ahead form, written out from its definition
        velocity = momentum * velocity - lr * gradient(theta + momentum * velocity, t)
        theta = theta + velocity
        thetas.append(theta.copy())
        shifted.append(theta + momentum * velocity)
    thetas, shifted = np.array(thetas), np.array(shifted)
    return {"pytorch": ahead, "lookahead": thetas,
            "max_gap_after_shift": float(np.abs(ahead - shifted).max()),
            "max_shift": float(np.abs(ahead - thetas).max())}


# ------------------------------------------------------------------ AdaGrad and RMSProp
def tilted_saddle_gradient(p, t=None):
    """f = 2 u^2 - w^2 / 2 + w^4 / 4 with u = (x + y) / sqrt 2, w = (x - y) / sqrt 2: a saddle
    at 0 whose axes lie at 45 degrees to the parameters, so the steep slope in u feeds both
    coordinates' accumulators on the way in. Minima at w = +-1."""
    u, w = (p[0] + p[1]) / math.sqrt(2), (p[0] - p[1]) / math.sqrt(2)
    grad_u, grad_w = 4 * u, -w + w ** 3
    return np.array([grad_u + grad_w, grad_u - grad_w]) / math.sqrt(2)


def adagrad_vs_rmsprop(lr=0.05, steps=3000, u0=3.0, w0=1e-3):
    """Both at the same lr, from u = u0 (steep) and w = w0 (next to the saddle's ridge).
    AdaGrad's per-coordinate step size lr / (sqrt(sum of g^2) + eps) can only shrink: after
    the slope's large gradients it is too small to leave the saddle, whose escape speed is
    proportional to it. RMSProp's leaky average forgets them and its step size grows back.
    Returns the paths, the step sizes of the first coordinate, the step at which |w| first
    passes 0.5 (None if never), and where each ends on an axis-aligned saddle."""
    runs = {"AdaGrad": lambda ps: optim.Adagrad(ps, lr=lr),
            "RMSProp": lambda ps: optim.RMSprop(ps, lr=lr)}
    start = np.array([u0 + w0, u0 - w0]) / math.sqrt(2)
    paths = {name: trajectory(make, tilted_saddle_gradient, start, steps)
             for name, make in runs.items()}
    result = {"paths": paths, "step_sizes": {}, "escape_step": {}}
    for name, path in paths.items():
        squares = np.array([tilted_saddle_gradient(p)[0] ** 2 for p in path[:-1]])
        accumulated = np.cumsum(squares) if name == "AdaGrad" else leaky_average(squares, 0.99)
        eps = 1e-10 if name == "AdaGrad" else 1e-8  # PyTorch's defaults
        result["step_sizes"][name] = lr / (np.sqrt(accumulated) + eps)
        escaped = np.abs(path[:, 0] - path[:, 1]) / math.sqrt(2) > 0.5
        result["escape_step"][name] = int(np.argmax(escaped)) if escaped.any() else None
    axis_aligned = lambda p, t: np.array([4 * p[0], -p[1] + p[1] ** 3])
    result["axis_aligned_end"] = {name: trajectory(make, axis_aligned, (u0, w0), steps)[-1]
                                  for name, make in runs.items()}
    return result


def leaky_average(values, decay):
    """v_t = decay v_{t-1} + (1 - decay) values_t from v_0 = 0, as RMSProp's square_avg."""
    out, running = np.empty_like(values), 0.0
    for i, value in enumerate(values):
        running = decay * running + (1 - decay) * value
        out[i] = running
    return out


# ------------------------------------------------------------------ Adam's first steps
def adam_steps(gradients, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, bias_correction=True):
    """Adam's steps for a sequence of scalar gradients, with or without Kingma & Ba's bias
    correction m / (1 - beta1^t), v / (1 - beta2^t). (minigrad's Adam, like PyTorch's, always
    corrects; this is the update written out in float64 to show what the correction does.)"""
    beta1, beta2 = betas
    m = v = 0.0
    steps = []
    for t, g in enumerate(gradients, 1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = (m / (1 - beta1 ** t), v / (1 - beta2 ** t)) if bias_correction else (m, v)
        steps.append(lr * m_hat / (math.sqrt(v_hat) + eps))
    return np.array(steps)


def adam_first_steps(steps=2000, gradient=0.01, lr=1e-3):
    """A constant gradient g: corrected Adam steps lr g / (|g| + eps) = lr from the first step;
    uncorrected ones are lr (1 - beta1^t) / sqrt(1 - beta2^t) (for |g| >> eps): 3.16 lr at
    t = 1, larger still for a while. Also minigrad's Adam on the same gradients."""
    g = np.full(steps, gradient)
    path = trajectory(lambda ps: optim.Adam(ps, lr=lr), lambda p, t: g[t:t + 1], [0.0], steps)
    return {"minigrad": -np.diff(path[:, 0]), "corrected": adam_steps(g, lr),
            "uncorrected": adam_steps(g, lr, bias_correction=False)}


# ------------------------------------------------------------------ three decays
def three_decays(lr0=0.1, epochs=50, k=0.1, drop=0.5, epochs_per_drop=10):
    """Exponential lr0 e^(-k t), time-based lr0 / (1 + k t) and step lr0 drop^floor(t / d),
    as minigrad's schedulers write them into an optimizer, epoch by epoch."""
    makers = {"exponential": lambda o: S.ExponentialDecayLR(o, k=k),
              "time-based": lambda o: S.InverseTimeDecayLR(o, k=k),
              "step": lambda o: S.StepDecayLR(o, drop=drop, epochs_per_drop=epochs_per_drop)}
    values = {}
    for name, make in makers.items():
        optimizer = optim.SGD([nn.Parameter(np.zeros(1))], lr=lr0)
        scheduler, lrs = make(optimizer), []
        for _ in range(epochs):
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        values[name] = np.array(lrs)
    return values
