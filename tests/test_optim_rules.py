"""Each optimizer's first steps against its published update rule, written out here in
float64 with a fixed sequence of gradients (so only the update rule is under test)."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import optim

rng = np.random.default_rng(3)
P0 = rng.standard_normal(5)
GRADS = [rng.standard_normal(5) for _ in range(4)]
GRADS[2][1] = -GRADS[1][1] * 3  # a sign change, for Rprop


def run(make, steps=len(GRADS)):
    p = mg.nn.Parameter(P0.copy())
    opt = make([p])
    history = []
    for g in GRADS[:steps]:
        p.grad = mg.Tensor(g.copy())
        opt.step()
        history.append(p.array.copy())
    return history


def reference_sgd(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                  maximize=False):
    p, buf, out = P0.copy(), None, []
    for g in GRADS:
        g = -g if maximize else g
        g = g + weight_decay * p
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
        out.append(p)
    return out


def reference_adam(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=False,
                   decoupled=False):
    p, m, v, vmax, out = P0.copy(), 0.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, 1):
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        vmax = np.maximum(vmax, v)
        v_used = vmax if amsgrad else v
        p = p - lr / (1 - beta1 ** t) * m / (np.sqrt(v_used) / math.sqrt(1 - beta2 ** t) + eps)
        out.append(p)
    return out


def reference_adagrad(lr, lr_decay=0.0, initial=0.0, eps=1e-10, weight_decay=0.0):
    p, s, out = P0.copy(), initial, []
    for t, g in enumerate(GRADS, 1):
        g = g + weight_decay * p
        s = s + g * g
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(s) + eps)
        out.append(p)
    return out


def reference_adadelta(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    p, v, u, out = P0.copy(), 0.0, 0.0, []
    for g in GRADS:
        g = g + weight_decay * p
        v = rho * v + (1 - rho) * g * g
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        p = p - lr * delta
        out.append(p)
    return out


def reference_rmsprop(lr, alpha=0.99, eps=1e-8, momentum=0.0, centered=False, weight_decay=0.0):
    p, v, m, b, out = P0.copy(), 0.0, 0.0, 0.0, []
    for g in GRADS:
        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        m = alpha * m + (1 - alpha) * g
        a = (np.sqrt(v - m * m) if centered else np.sqrt(v)) + eps
        if momentum:
            b = momentum * b + g / a
            p = p - lr * b
        else:
            p = p - lr * g / a
        out.append(p)
    return out


def reference_adamax(lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    p, m, u, out = P0.copy(), 0.0, 0.0, []
    for t, g in enumerate(GRADS, 1):
        m = beta1 * m + (1 - beta1) * g
        u = np.maximum(beta2 * u, np.abs(g) + eps)
        p = p - lr / (1 - beta1 ** t) * m / u
        out.append(p)
    return out


def reference_nadam(lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, psi=4e-3):
    p, m, v, product, out = P0.copy(), 0.0, 0.0, 1.0, []
    for t, g in enumerate(GRADS, 1):
        mu, mu_next = (beta1 * (1 - 0.5 * 0.96 ** (k * psi)) for k in (t, t + 1))
        product *= mu
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        d = np.sqrt(v / (1 - beta2 ** t)) + eps
        p = p - lr * (1 - mu) / (1 - product) * g / d - lr * mu_next / (1 - product * mu_next) * m / d
        out.append(p)
    return out


def reference_radam(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    p, m, v, out = P0.copy(), 0.0, 0.0, []
    rho_inf = 2 / (1 - beta2) - 1
    for t, g in enumerate(GRADS, 1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)
        rho_t = rho_inf - 2 * t * beta2 ** t / (1 - beta2 ** t)
        if rho_t > 5:
            r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            p = p - lr * m_hat * math.sqrt(1 - beta2 ** t) / (np.sqrt(v) + eps) * r
        else:
            p = p - lr * m_hat
        out.append(p)
    return out


def reference_asgd(lr=1e-2, lambd=1e-4, alpha=0.75, t0=2):
    p, eta, out = P0.copy(), lr, []
    for t, g in enumerate(GRADS, 1):
        p = p * (1 - lambd * eta) - eta * g
        eta = lr / (1 + lambd * lr * t) ** alpha
        out.append(p)
    return out


def reference_rprop(lr=1e-2, etas=(0.5, 1.2), sizes=(1e-6, 50)):
    p, prev, step, out = P0.copy(), np.zeros(5), np.full(5, lr), []
    for g in GRADS:
        s = np.sign(g * prev)
        step = np.clip(step * np.where(s > 0, etas[1], np.where(s < 0, etas[0], 1.0)), *sizes)
        g = np.where(s < 0, 0.0, g)
        p = p - np.sign(g) * step
        prev = g
        out.append(p)
    return out


CASES = [
    ("sgd", lambda ps: optim.SGD(ps, lr=0.1), lambda: reference_sgd(0.1)),
    ("sgd_momentum_wd", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.05),
     lambda: reference_sgd(0.1, 0.9, weight_decay=0.05)),
    ("sgd_dampening_maximize", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.8, dampening=0.3,
                                                    maximize=True),
     lambda: reference_sgd(0.1, 0.8, 0.3, maximize=True)),
    ("sgd_nesterov", lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
     lambda: reference_sgd(0.1, 0.9, nesterov=True)),
    ("adam", lambda ps: optim.Adam(ps, lr=0.01), lambda: reference_adam(0.01)),
    ("adam_wd_amsgrad", lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.1, amsgrad=True),
     lambda: reference_adam(0.01, weight_decay=0.1, amsgrad=True)),
    ("adamw", lambda ps: optim.AdamW(ps, lr=0.01), lambda: reference_adam(0.01, weight_decay=1e-2,
                                                                          decoupled=True)),
    ("adagrad", lambda ps: optim.Adagrad(ps, lr=0.1, lr_decay=0.1, initial_accumulator_value=0.5,
                                         weight_decay=0.01),
     lambda: reference_adagrad(0.1, 0.1, 0.5, weight_decay=0.01)),
    ("adadelta", lambda ps: optim.Adadelta(ps, weight_decay=0.1),
     lambda: reference_adadelta(weight_decay=0.1)),
    ("rmsprop", lambda ps: optim.RMSprop(ps, lr=0.01), lambda: reference_rmsprop(0.01)),
    ("rmsprop_centered_momentum", lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.9, centered=True),
     lambda: reference_rmsprop(0.01, momentum=0.9, centered=True)),
    ("adamax", lambda ps: optim.Adamax(ps), lambda: reference_adamax()),
    ("nadam", lambda ps: optim.NAdam(ps, lr=0.01), lambda: reference_nadam(0.01)),
    ("radam", lambda ps: optim.RAdam(ps, lr=0.01), lambda: reference_radam(0.01)),
    ("asgd", lambda ps: optim.ASGD(ps, t0=2), lambda: reference_asgd()),
    ("rprop", lambda ps: optim.Rprop(ps), lambda: reference_rprop()),
]


@pytest.mark.parametrize("name,make,reference", CASES, ids=[c[0] for c in CASES])
def test_first_steps_follow_the_update_rule(name, make, reference):
    # float32 state (NAdam's mu product, ASGD's eta) as PyTorch keeps it: allow float32 noise.
    for got, expected in zip(run(make), reference()):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)


def test_radam_switches_to_the_rectified_update_after_step_5():
    # rho_t > 5 first holds at t = 6 for beta2 = 0.999: steps 1-5 are plain momentum SGD.
    rho_inf = 2 / (1 - 0.999) - 1
    rho = [rho_inf - 2 * t * 0.999 ** t / (1 - 0.999 ** t) for t in range(1, 8)]
    assert [r > 5 for r in rho] == [False] * 5 + [True] * 2


def test_nadam_momentum_decay_changes_the_step():
    a = run(lambda ps: optim.NAdam(ps, lr=0.01, momentum_decay=4e-3))[-1]
    b = run(lambda ps: optim.NAdam(ps, lr=0.01, momentum_decay=0.5))[-1]
    assert not np.allclose(a, b)


def test_parameters_without_grad_are_skipped_and_get_no_state():
    used, unused = mg.nn.Parameter(np.ones(2)), mg.nn.Parameter(np.ones(2))
    opt = optim.Adam([used, unused], lr=0.1)
    used.grad = mg.Tensor(np.ones(2))
    opt.step()
    assert used in opt.state and unused not in opt.state
    np.testing.assert_array_equal(unused.array, [1.0, 1.0])


def test_updates_are_in_place_in_the_parameter_dtype():
    p = mg.nn.Parameter(np.ones(3, dtype=np.float32))
    data = p.array
    opt = optim.Adam([p], lr=0.1)
    p.grad = mg.Tensor(np.ones(3, dtype=np.float32))
    opt.step()
    assert p.array is data and p.array.dtype == np.float32 and p.grad_fn is None
    assert opt.state[p]["exp_avg"].dtype == np.float32


def test_param_groups_have_their_own_hyperparameters():
    a, b = mg.nn.Parameter(np.zeros(1)), mg.nn.Parameter(np.zeros(1))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    a.grad, b.grad = mg.Tensor(np.ones(1)), mg.Tensor(np.ones(1))
    opt.step()
    assert a.item() == pytest.approx(-0.1) and b.item() == pytest.approx(-1.0)
    c = mg.nn.Parameter(np.zeros(1))
    opt.add_param_group({"params": [c], "momentum": 0.5})
    assert opt.param_groups[2]["lr"] == 0.1 and opt.param_groups[2]["momentum"] == 0.5


def test_closure_is_evaluated_with_grad_and_its_loss_returned():
    p = mg.nn.Parameter(np.array([2.0]))
    opt = optim.SGD([p], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with mg.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0 and p.item() == pytest.approx(1.0)


@pytest.mark.parametrize("make,message", [
    (lambda ps: optim.SGD(ps, lr=-0.1), "Invalid learning rate: -0.1"),
    (lambda ps: optim.SGD(ps, momentum=-1), "Invalid momentum value: -1"),
    (lambda ps: optim.SGD(ps, momentum=0.9, dampening=0.1, nesterov=True),
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda ps: optim.SGD(ps, nesterov=True), "Nesterov momentum requires a momentum"),
    (lambda ps: optim.Adam(ps, betas=(1.0, 0.999)), r"Invalid betas value: \(1.0, 0.999\)"),
    (lambda ps: optim.Adam(ps, eps=-1e-8), "Invalid epsilon value: -1e-08"),
    (lambda ps: optim.AdamW(ps, weight_decay=-0.1), "Invalid weight_decay value: -0.1"),
    (lambda ps: optim.Adadelta(ps, rho=1.5), "Invalid rho value: 1.5"),
    (lambda ps: optim.Rprop(ps, etas=(1.5, 1.2)), r"Invalid etas value: \(1.5, 1.2\)"),
    (lambda ps: optim.SGD([{"params": ps, "lr": -1.0}]), "Invalid learning rate: -1.0"),
    (lambda ps: optim.SGD([], lr=0.1), "empty parameter list"),
    (lambda ps: optim.SGD(ps + ps), "more than one parameter group"),
    (lambda ps: optim.LBFGS(ps, line_search_fn="armijo"), "only 'strong_wolfe'"),
])
def test_invalid_hyperparameters_name_parameter_and_value(make, message):
    with pytest.raises(ValueError, match=message):
        make([mg.nn.Parameter(np.zeros(2))])


def test_non_leaf_and_non_tensor_parameters_are_refused():
    p = mg.nn.Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([p * 2.0])
    with pytest.raises(TypeError, match="parameter 0 is a ndarray"):
        optim.SGD([np.zeros(2)])


def test_subnormal_state_is_flushed_periodically():
    tiny = np.finfo(np.float32).tiny
    p = mg.nn.Parameter(np.ones(4, dtype=np.float32))
    opt = optim.Adam([p], lr=1e-3)
    p.grad = mg.Tensor(np.array([1e-3, 1e-3, 0.0, 1.0], dtype=np.float32))
    opt.step()
    p.grad = mg.Tensor(np.array([0.0, 0.0, 0.0, 1.0], dtype=np.float32))
    subnormal_seen = False
    for step in range(2, 1001):
        opt.step()
        exp_avg = opt.state[p]["exp_avg"]
        subnormal_seen |= bool(((exp_avg != 0) & (np.abs(exp_avg) < tiny)).any())
        if step % opt.flush_subnormals_every == 0:
            assert not ((exp_avg != 0) & (np.abs(exp_avg) < tiny)).any()
    assert subnormal_seen  # the decay does reach the subnormal range between flushes
    assert opt.state[p]["exp_avg"][3] > 0.5  # normal values are left alone


def test_adamw_with_decay_and_no_decay_parameter_groups():
    """The usual transformer setup: matrices decay, biases and norm weights do not."""
    model = mg.nn.Sequential(mg.nn.Linear(5, 5), mg.nn.LayerNorm(5))
    for p in model.parameters():
        p.array = P0.copy() if p.ndim == 1 else np.tile(P0, (5, 1))
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    opt = optim.AdamW([{"params": decay, "weight_decay": 0.1},
                       {"params": no_decay, "weight_decay": 0.0}], lr=0.01)
    assert [g["weight_decay"] for g in opt.param_groups] == [0.1, 0.0]
    for g in GRADS:
        for p in model.parameters():
            p.grad = mg.Tensor(np.tile(g, (5, 1)) if p.ndim == 2 else g.copy())
        opt.step()
    decayed = reference_adam(0.01, weight_decay=0.1, decoupled=True)[-1]
    plain = reference_adam(0.01)[-1]
    for row in decay[0].array:
        np.testing.assert_allclose(row, decayed, rtol=1e-12)
    for p in no_decay:
        np.testing.assert_allclose(p.array, plain, rtol=1e-12)
    assert not np.allclose(decayed, plain)
