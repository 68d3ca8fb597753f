"""state_dict round trips: N steps, save, load into fresh objects, M more steps equals N + M
uninterrupted steps bit for bit, for every optimizer and every scheduler."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn, optim
from minigrad.optim import lr_scheduler as S

OPTIMIZERS = {
    "sgd_nesterov": lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "adagrad": lambda ps: optim.Adagrad(ps, lr=0.1),
    "adadelta": lambda ps: optim.Adadelta(ps),
    "rmsprop": lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
    "adam": lambda ps: optim.Adam(ps, lr=0.01, amsgrad=True),
    "adamw": lambda ps: optim.AdamW(ps, lr=0.01),
    "adamax": lambda ps: optim.Adamax(ps),
    "nadam": lambda ps: optim.NAdam(ps),
    "radam": lambda ps: optim.RAdam(ps),
    "asgd": lambda ps: optim.ASGD(ps, t0=3),
    "rprop": lambda ps: optim.Rprop(ps),
    "lbfgs": lambda ps: optim.LBFGS(ps, lr=0.5, max_iter=3, history_size=4,
                                    line_search_fn="strong_wolfe"),
}

SCHEDULERS = {
    "none": None,
    "lambda": lambda o: S.LambdaLR(o, lambda t: 0.9 ** t),
    "multiplicative": lambda o: S.MultiplicativeLR(o, lambda t: 0.9),
    "step": lambda o: S.StepLR(o, 2),
    "multistep": lambda o: S.MultiStepLR(o, [2, 5]),
    "constant": lambda o: S.ConstantLR(o),
    "linear": lambda o: S.LinearLR(o),
    "exponential": lambda o: S.ExponentialLR(o, 0.9),
    "polynomial": lambda o: S.PolynomialLR(o, 10),
    "cosine": lambda o: S.CosineAnnealingLR(o, 4),
    "warm_restarts": lambda o: S.CosineAnnealingWarmRestarts(o, 2, 2),
    "cyclic": lambda o: S.CyclicLR(o, 0.001, 0.01, 3),
    "one_cycle": lambda o: S.OneCycleLR(o, 0.05, total_steps=20),
    "plateau": lambda o: S.ReduceLROnPlateau(o, patience=1),
    "sequential": lambda o: S.SequentialLR(o, [S.ConstantLR(o), S.ExponentialLR(o, 0.8)], [3]),
    "chained": lambda o: S.ChainedScheduler([S.StepLR(o, 3), S.ExponentialLR(o, 0.9)]),
    "inverse_time": lambda o: S.InverseTimeDecayLR(o, 0.3),
    "warmup": lambda o: S.WarmupLR(o, 3, after=S.StepLR(o, 2)),
}

X = np.random.default_rng(0).standard_normal((16, 3)).astype(np.float32)
Y = np.random.default_rng(1).integers(0, 2, 16)


def build(make_optimizer, make_scheduler):
    mg.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    opt = make_optimizer(list(model.parameters()))
    return model, opt, (make_scheduler(opt) if make_scheduler else None)


def train(model, opt, scheduler, steps):
    for _ in range(steps):
        def closure():
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(mg.Tensor(X)), mg.tensor(Y))
            loss.backward()
            return loss
        loss = opt.step(closure)
        if isinstance(scheduler, S.ReduceLROnPlateau):
            scheduler.step(loss.item())
        elif scheduler is not None:
            scheduler.step()


def resume_matches(make_optimizer, make_scheduler, tmp_path):
    model, opt, scheduler = build(make_optimizer, make_scheduler)
    train(model, opt, scheduler, 9)
    reference = [p.array.copy() for p in model.parameters()]

    model, opt, scheduler = build(make_optimizer, make_scheduler)
    train(model, opt, scheduler, 4)
    mg.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
             "scheduler": scheduler.state_dict() if scheduler else None}, tmp_path / "ckpt")
    checkpoint = mg.load(tmp_path / "ckpt")
    model, opt, scheduler = build(make_optimizer, make_scheduler)
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])
    if scheduler:
        scheduler.load_state_dict(checkpoint["scheduler"])
    train(model, opt, scheduler, 5)
    for p, expected in zip(model.parameters(), reference):
        np.testing.assert_array_equal(p.array, expected)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizer_resume_is_bit_exact(name, tmp_path):
    resume_matches(OPTIMIZERS[name], None, tmp_path)


@pytest.mark.parametrize("name", [n for n in SCHEDULERS if SCHEDULERS[n]])
def test_scheduler_resume_is_bit_exact(name, tmp_path):
    resume_matches(lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9), SCHEDULERS[name], tmp_path)


def test_state_dict_layout_is_pytorch_like():
    a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(3))
    opt = optim.Adam([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad = mg.Tensor(np.ones(2))
    opt.step()
    state = opt.state_dict()
    assert state["param_groups"][0]["params"] == [0] and state["param_groups"][1]["params"] == [1]
    assert state["param_groups"][1]["lr"] == 0.5 and set(state["state"]) == {0}
    assert set(state["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
    assert isinstance(state["state"][0]["exp_avg"], mg.Tensor)


def test_load_state_dict_checks_before_changing_anything():
    a = nn.Parameter(np.zeros(2))
    opt = optim.SGD([a], lr=0.1)
    other = optim.SGD([nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(2))], lr=0.7)
    with pytest.raises(ValueError, match="group 0 has 2 parameters; this optimizer's has 1"):
        opt.load_state_dict(other.state_dict())
    assert opt.param_groups[0]["lr"] == 0.1
    two_groups = optim.SGD([{"params": [nn.Parameter(np.zeros(1))]},
                            {"params": [nn.Parameter(np.zeros(1))]}], lr=0.1)
    with pytest.raises(ValueError, match="has 2 parameter groups; this optimizer has 1"):
        opt.load_state_dict(two_groups.state_dict())
