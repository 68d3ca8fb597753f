"""Every scheduler's learning rates against its closed form, computed here."""
import math
import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad import optim
from minigrad.optim import lr_scheduler as S, schedules

LR0 = 0.1


def optimizer(kind="SGD", **options):
    return getattr(optim, kind)([mg.nn.Parameter(np.zeros(2))], lr=LR0, **options)


def lrs(opt, scheduler, steps=130, metric=None):
    values = []
    for t in range(steps):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step() if metric is None else scheduler.step(metric(t))
    return np.array(values)


def sgdr(t, T0, mult, eta_min):
    length = T0
    while t >= length:
        t -= length
        length *= mult
    return eta_min + (LR0 - eta_min) * (1 + math.cos(math.pi * t / length)) / 2


def triangular(t, base, top, up, down, amplitude):
    cycle_length = up + down
    cycle, x = t // cycle_length, t % cycle_length
    rise = x / up if x <= up else 1 - (x - up) / down
    return base + (top - base) * rise * amplitude(cycle + 1, t)


def one_cycle_cos(t, top, total, pct=0.3, div=25.0, final_div=1e4):
    peak = pct * total - 1
    low, end = top / div, top / div / final_div
    if t <= peak:
        return top + (low - top) / 2 * (math.cos(math.pi * t / peak) + 1)
    return end + (top - end) / 2 * (math.cos(math.pi * (t - peak) / (total - 1 - peak)) + 1)


CASES = [
    ("LambdaLR", lambda o: S.LambdaLR(o, lambda t: 1 / (1 + t)), lambda t: LR0 / (1 + t)),
    ("MultiplicativeLR", lambda o: S.MultiplicativeLR(o, lambda t: 0.95), lambda t: LR0 * 0.95 ** t),
    ("StepLR", lambda o: S.StepLR(o, 7, 0.5), lambda t: LR0 * 0.5 ** (t // 7)),
    ("MultiStepLR", lambda o: S.MultiStepLR(o, [10, 25, 26], 0.3),
     lambda t: LR0 * 0.3 ** ((t >= 10) + (t >= 25) + (t >= 26))),
    ("ConstantLR", lambda o: S.ConstantLR(o, 0.25, 9), lambda t: LR0 * (0.25 if t < 9 else 1)),
    ("LinearLR", lambda o: S.LinearLR(o, 0.1, 0.9, 17),
     lambda t: LR0 * (0.1 + 0.8 * min(t, 17) / 17)),
    ("ExponentialLR", lambda o: S.ExponentialLR(o, 0.96), lambda t: LR0 * 0.96 ** t),
    ("PolynomialLR", lambda o: S.PolynomialLR(o, 50, 2.0), lambda t: LR0 * (1 - min(t, 50) / 50) ** 2),
    ("CosineAnnealingLR", lambda o: S.CosineAnnealingLR(o, 25, 0.001),
     lambda t: 0.001 + (LR0 - 0.001) * (1 + math.cos(math.pi * t / 25)) / 2),
    ("WarmRestarts_mult2", lambda o: S.CosineAnnealingWarmRestarts(o, 7, 2, 0.002),
     lambda t: sgdr(t, 7, 2, 0.002)),
    ("WarmRestarts_mult1", lambda o: S.CosineAnnealingWarmRestarts(o, 9), lambda t: sgdr(t, 9, 1, 0.0)),
    ("CyclicLR_triangular", lambda o: S.CyclicLR(o, 0.01, 0.1, 8, 5),
     lambda t: triangular(t, 0.01, 0.1, 8, 5, lambda c, t: 1)),
    ("CyclicLR_triangular2", lambda o: S.CyclicLR(o, 0.01, 0.1, 6, mode="triangular2"),
     lambda t: triangular(t, 0.01, 0.1, 6, 6, lambda c, t: 0.5 ** (c - 1))),
    ("CyclicLR_exp_range", lambda o: S.CyclicLR(o, 0.01, 0.1, 6, mode="exp_range", gamma=0.99),
     lambda t: triangular(t, 0.01, 0.1, 6, 6, lambda c, t: 0.99 ** t)),
    ("OneCycleLR_cos", lambda o: S.OneCycleLR(o, 0.5, total_steps=130),
     lambda t: one_cycle_cos(t, 0.5, 130)),
    ("OneCycleLR_linear", lambda o: S.OneCycleLR(o, 0.5, epochs=13, steps_per_epoch=10,
                                                 anneal_strategy="linear"),
     lambda t: (0.02 + (0.5 - 0.02) * t / 38) if t <= 38 else 0.5 + (2e-6 - 0.5) * (t - 38) / 91),
    ("SequentialLR", lambda o: S.SequentialLR(o, [S.LinearLR(o, 0.1, 1.0, 10),
                                                  S.ExponentialLR(o, 0.9)], [10]),
     lambda t: LR0 * (0.1 + 0.9 * t / 10) if t < 10 else LR0 * 0.9 ** (t - 10)),
    ("ChainedScheduler", lambda o: S.ChainedScheduler([S.StepLR(o, 10, 0.5), S.ExponentialLR(o, 0.98)]),
     lambda t: LR0 * 0.5 ** (t // 10) * 0.98 ** t),
    ("ExponentialDecayLR", lambda o: S.ExponentialDecayLR(o, 0.05), lambda t: LR0 * math.exp(-0.05 * t)),
    ("InverseTimeDecayLR", lambda o: S.InverseTimeDecayLR(o, 0.5), lambda t: LR0 / (1 + 0.5 * t)),
    ("StepDecayLR", lambda o: S.StepDecayLR(o, 0.5, 10), lambda t: LR0 * 0.5 ** math.floor(t / 10)),
    ("WarmupLR_constant", lambda o: S.WarmupLR(o, 8), lambda t: LR0 * min(t / 8, 1)),
    ("WarmupLR_cosine", lambda o: S.WarmupLR(o, 5, after=S.CosineAnnealingLR(o, 40)),
     lambda t: LR0 * t / 5 if t < 5 else LR0 * (1 + math.cos(math.pi * (t - 5) / 40)) / 2),
]


@pytest.mark.parametrize("name,build,closed_form", CASES, ids=[c[0] for c in CASES])
def test_learning_rates_follow_the_closed_form(name, build, closed_form):
    opt = optimizer()
    got = lrs(opt, build(opt))
    expected = np.array([closed_form(t) for t in range(len(got))])
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-15)


def test_schedule_functions_are_usable_without_an_optimizer():
    lr = schedules.cosine_annealing(0.1, T_max=10, eta_min=0.0)
    assert lr(0) == pytest.approx(0.1) and lr(10) == pytest.approx(0.0) and lr(5) == pytest.approx(0.05)
    warm = schedules.warmup(1.0, 4, after=schedules.exponential_lr(1.0, 0.5))
    assert [warm(t) for t in range(7)] == [0.0, 0.25, 0.5, 0.75, 1.0, 0.5, 0.25]


def test_cyclic_schedulers_cycle_momentum_inversely():
    opt = optimizer(momentum=0.9)
    scheduler = S.CyclicLR(opt, 0.01, 0.1, step_size_up=4, base_momentum=0.8, max_momentum=0.9)
    momenta = []
    for _ in range(9):
        momenta.append(opt.param_groups[0]["momentum"])
        opt.step()
        scheduler.step()
    np.testing.assert_allclose(momenta, [0.9, 0.875, 0.85, 0.825, 0.8, 0.825, 0.85, 0.875, 0.9])
    adam = optimizer("Adam")
    S.OneCycleLR(adam, 0.5, total_steps=10)
    assert adam.param_groups[0]["betas"] == (0.95, 0.999)
    with pytest.raises(ValueError, match="must support momentum or beta1"):
        S.CyclicLR(optimizer("Adagrad"), 0.01, 0.1)


def test_reduce_on_plateau():
    opt = optimizer()
    scheduler = S.ReduceLROnPlateau(opt, factor=0.5, patience=2, threshold=0.1, cooldown=1,
                                    min_lr=0.02)
    losses = [1.0, 0.95, 0.94, 0.93, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    seen = []
    for loss in losses:
        scheduler.step(loss)
        seen.append(opt.param_groups[0]["lr"])
    # 0.95 .. 0.93 are not 10% better than 1.0: the third bad epoch (> patience) halves the lr
    # (step 3). 0.5 is a new best (step 4, also the cooldown step); steps 5-7 are bad: halve
    # (step 7). Step 8 is bad but in cooldown, so it does not count; 9-11 are bad: halve,
    # clipped at min_lr.
    assert seen == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02]
    assert scheduler.get_last_lr() == [0.02]


def test_reduce_on_plateau_max_mode_and_abs_threshold():
    opt = optimizer()
    scheduler = S.ReduceLROnPlateau(opt, mode="max", patience=0, threshold=0.5,
                                    threshold_mode="abs")
    for accuracy in [1.0, 1.4, 2.0]:
        scheduler.step(accuracy)
    # 1.0 improves on -inf; 1.4 is not 0.5 better: reduce; 2.0 is 0.6 better than 1.0: keep.
    assert opt.param_groups[0]["lr"] == pytest.approx(0.01)


def test_warning_when_scheduler_steps_before_optimizer():
    opt = optimizer()
    scheduler = S.StepLR(opt, 1)
    with pytest.warns(UserWarning, match=r"lr_scheduler.step\(\)` before `optimizer.step\(\)"):
        scheduler.step()
    opt2 = optimizer()
    scheduler2 = S.StepLR(opt2, 1)
    opt2.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler2.step()


def test_get_last_lr_and_last_epoch():
    opt = optimizer()
    scheduler = S.StepLR(opt, 2, 0.1)
    assert scheduler.last_epoch == 0 and scheduler.get_last_lr() == [LR0]
    for _ in range(3):
        opt.step()
        scheduler.step()
    assert scheduler.last_epoch == 3 and scheduler.get_last_lr() == pytest.approx([LR0 * 0.1])


def test_one_cycle_refuses_to_step_past_total_steps():
    opt = optimizer()
    scheduler = S.OneCycleLR(opt, 0.5, total_steps=3)
    for _ in range(3):
        opt.step()
        scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 4 times. The specified number of total steps is 3"):
        scheduler.step()


@pytest.mark.parametrize("build,message", [
    (lambda o: S.StepLR(o, 0), "step_size must be a positive integer; got 0"),
    (lambda o: S.MultiStepLR(o, [5, 2]), r"milestones must be increasing; got \[5, 2\]"),
    (lambda o: S.ConstantLR(o, factor=2.0), "between 0 and 1; got 2.0"),
    (lambda o: S.LinearLR(o, start_factor=0.0), r"start_factor must be in \(0, 1\]; got 0.0"),
    (lambda o: S.CosineAnnealingLR(o, T_max=0), "T_max must be a positive integer"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, 5, T_mult=0), "T_mult must be an integer >= 1"),
    (lambda o: S.CyclicLR(o, 0.1, 1.0, mode="sine"), "mode must be one of"),
    (lambda o: S.OneCycleLR(o, 0.1), r"total_steps OR \(epochs AND steps_per_epoch\)"),
    (lambda o: S.OneCycleLR(o, 0.1, total_steps=10, pct_start=1.5), "pct_start"),
    (lambda o: S.OneCycleLR(o, 0.1, total_steps=10, anneal_strategy="cosine"), "anneal_strategy"),
    (lambda o: S.ReduceLROnPlateau(o, factor=1.0), "Factor should be < 1.0"),
    (lambda o: S.ReduceLROnPlateau(o, mode="lowest"), "mode 'lowest' is unknown"),
    (lambda o: S.SequentialLR(o, [S.StepLR(o, 2), S.StepLR(o, 3)], [1, 2]), "one more than"),
    (lambda o: S.WarmupLR(o, 0), "warmup_steps must be a positive integer"),
    (lambda o: S.WarmupLR(o, 3, after=S.ReduceLROnPlateau(o)), "cannot contain ReduceLROnPlateau"),
    (lambda o: S.StepDecayLR(o, drop=0.0, epochs_per_drop=3), r"drop must be in \(0, 1\]"),
])
def test_invalid_arguments(build, message):
    with pytest.raises(ValueError, match=message):
        build(optimizer())


def test_resuming_without_initial_lr_is_an_error():
    with pytest.raises(KeyError, match=r"initial_lr' is not specified in param_groups\[0\]"):
        S.StepLR(optimizer(), 3, last_epoch=5)


@pytest.mark.parametrize("make", [
    lambda o: S.CyclicLR(o, base_lr=[0.01, 0.02, 0.03], max_lr=0.1),
    lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=[0.1, 0.2, 0.3]),
    lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, base_momentum=[0.8, 0.8, 0.8]),
    lambda o: S.OneCycleLR(o, max_lr=[0.1, 0.2, 0.3], total_steps=10),
])
def test_per_group_lists_of_the_wrong_length_are_refused(make):
    opt = optim.SGD([{"params": [mg.nn.Parameter(np.zeros(2))]},
                     {"params": [mg.nn.Parameter(np.zeros(2))]}], lr=LR0, momentum=0.9)
    before = [dict(g) for g in opt.param_groups]
    with pytest.raises(ValueError, match="expected 2 values of .*got 3"):
        make(opt)
    assert [g["lr"] for g in opt.param_groups] == [g["lr"] for g in before]
