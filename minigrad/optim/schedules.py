"""Learning-rate schedules as plain functions of the step.

Each factory takes the schedule's parameters and returns ``lr(t)`` for integer steps
t = 0, 1, 2, ...; nothing here knows about optimizers, so a schedule can be plotted,
tested or composed on its own:

    lr = cosine_annealing(0.1, T_max=100, eta_min=0.001)
    [lr(t) for t in range(200)]

The scheduler classes in ``minigrad.optim.lr_scheduler`` are thin wrappers that write these
values into an optimizer. Values equal PyTorch's closed forms.
"""
from __future__ import annotations

import bisect
import math


def constant(lr0: float):
    """lr(t) = lr0."""
    return lambda t: lr0


def lambda_lr(lr0: float, factor):
    """lr(t) = lr0 * factor(t)."""
    return lambda t: lr0 * factor(t)


def multiplicative(lr0: float, factor):
    """lr(t) = lr0 * factor(1) * factor(2) * ... * factor(t)."""
    def lr(t):
        value = lr0
        for k in range(1, t + 1):
            value *= factor(k)
        return value
    return lr


def step_lr(lr0: float, step_size: int, gamma: float = 0.1):
    """lr(t) = lr0 * gamma ** floor(t / step_size)."""
    return lambda t: lr0 * gamma ** (t // step_size)


def multistep_lr(lr0: float, milestones, gamma: float = 0.1):
    """lr(t) = lr0 * gamma ** (number of milestones <= t)."""
    milestones = sorted(milestones)
    return lambda t: lr0 * gamma ** bisect.bisect_right(milestones, t)


def constant_lr(lr0: float, factor: float = 1.0 / 3, total_iters: int = 5):
    """lr(t) = lr0 * factor for t < total_iters, lr0 afterwards."""
    return lambda t: lr0 * (factor if t < total_iters else 1.0)


def linear_lr(lr0: float, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
              total_iters: int = 5):
    """lr(t) = lr0 * (start + (end - start) * min(t, total_iters) / total_iters)."""
    return lambda t: lr0 * (start_factor + (end_factor - start_factor)
                            * min(total_iters, t) / total_iters)


def exponential_lr(lr0: float, gamma: float):
    """lr(t) = lr0 * gamma ** t."""
    return lambda t: lr0 * gamma ** t


def polynomial_lr(lr0: float, total_iters: int = 5, power: float = 1.0):
    """lr(t) = lr0 * (1 - min(t, total_iters) / total_iters) ** power."""
    return lambda t: lr0 * (1.0 - min(total_iters, t) / total_iters) ** power


def cosine_annealing(lr0: float, T_max: int, eta_min: float = 0.0):
    """lr(t) = eta_min + (lr0 - eta_min) * (1 + cos(pi t / T_max)) / 2 (SGDR without restarts;
    past T_max it rises again, as PyTorch's does)."""
    return lambda t: eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2


def cosine_warm_restarts(lr0: float, T_0: int, T_mult: int = 1, eta_min: float = 0.0):
    """SGDR (Loshchilov & Hutter, 2017): cosine annealing over cycles of length T_0,
    T_0 * T_mult, T_0 * T_mult^2, ..., restarting at lr0 at the start of each."""
    def lr(t):
        t_cur, t_i = t, T_0
        while t_cur >= t_i:  # one pass per completed cycle: logarithmic in t when T_mult > 1
            t_cur -= t_i
            t_i *= T_mult
            if T_mult == 1:
                t_cur %= t_i
        return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2
    return lr


CYCLIC_MODES = {  # mode -> (amplitude as a function of its argument, what the argument is)
    "triangular": (lambda gamma: (lambda x: 1.0), "cycle"),
    "triangular2": (lambda gamma: (lambda cycle: 1 / (2.0 ** (cycle - 1))), "cycle"),
    "exp_range": (lambda gamma: (lambda t: gamma ** t), "iterations"),
}


def cyclic(base_lr: float, max_lr: float, step_size_up: int = 2000, step_size_down=None,
           mode: str = "triangular", gamma: float = 1.0, scale_fn=None, scale_mode="cycle"):
    """Cyclical learning rates (Smith, 2017): up from base_lr to max_lr in step_size_up steps,
    down in step_size_down, the amplitude scaled by mode: 'triangular' (1), 'triangular2'
    (1 / 2^(cycle - 1)) or 'exp_range' (gamma ** t), or by a custom scale_fn of the cycle
    number or the step (scale_mode). With base_lr > max_lr it runs inverted (momentum)."""
    down = step_size_up if step_size_down is None else step_size_down
    total, ratio = float(step_size_up + down), step_size_up / float(step_size_up + down)
    if scale_fn is None:
        make_scale, scale_mode = CYCLIC_MODES[mode]
        scale_fn = make_scale(gamma)

    def lr(t):
        cycle = math.floor(1 + t / total)
        x = 1.0 + t / total - cycle
        scale_factor = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
        height = (max_lr - base_lr) * scale_factor
        return base_lr + height * scale_fn(cycle if scale_mode == "cycle" else t)
    return lr


def one_cycle(max_lr: float, total_steps: int, pct_start: float = 0.3,
              anneal_strategy: str = "cos", div_factor: float = 25.0,
              final_div_factor: float = 1e4, three_phase: bool = False):
    """The 1cycle policy (Smith & Topin, 2019): warm up from max_lr / div_factor to max_lr over
    pct_start of the steps, then anneal to max_lr / (div_factor * final_div_factor);
    three_phase goes back down to the initial lr before the final annealing."""
    initial, top = max_lr / div_factor, max_lr
    final = initial / final_div_factor
    return phased(one_cycle_phases(total_steps, pct_start, three_phase),
                  {"initial": initial, "max": top, "min": final}, anneal_strategy)


def one_cycle_phases(total_steps, pct_start, three_phase):
    """(end_step, start_key, end_key) for each phase, PyTorch's boundaries."""
    if three_phase:
        return [(float(pct_start * total_steps) - 1, "initial", "max"),
                (float(2 * pct_start * total_steps) - 2, "max", "initial"),
                (total_steps - 1, "initial", "min")]
    return [(float(pct_start * total_steps) - 1, "initial", "max"),
            (total_steps - 1, "max", "min")]


def phased(phases, values, anneal_strategy):
    """A piecewise schedule: phase i anneals from values[start_key] to values[end_key]."""
    anneal = {"cos": anneal_cos, "linear": anneal_linear}[anneal_strategy]

    def value(t):
        start_step = 0.0
        for i, (end_step, start_key, end_key) in enumerate(phases):
            if t <= end_step or i == len(phases) - 1:
                pct = (t - start_step) / (end_step - start_step)
                return anneal(values[start_key], values[end_key], pct)
            start_step = end_step
    return value


def anneal_cos(start: float, end: float, pct: float) -> float:
    """From start (pct = 0) to end (pct = 1) along half a cosine."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def anneal_linear(start: float, end: float, pct: float) -> float:
    return (end - start) * pct + start


# ------------------------------------------------ textbook decays (not in PyTorch by name)
def exponential_decay(lr0: float, k: float):
    """lr(t) = lr0 * exp(-k t)."""
    return lambda t: lr0 * math.exp(-k * t)


def inverse_time_decay(lr0: float, k: float):
    """Time-based decay: lr(t) = lr0 / (1 + k t)."""
    return lambda t: lr0 / (1 + k * t)


def step_decay(lr0: float, drop: float, epochs_per_drop: int):
    """lr(t) = lr0 * drop ** floor(t / epochs_per_drop)."""
    return lambda t: lr0 * drop ** math.floor(t / epochs_per_drop)


def warmup(lr0: float, warmup_steps: int, after=None):
    """Linear warmup from 0: lr(t) = lr0 * t / warmup_steps for t < warmup_steps, then
    ``after(t - warmup_steps)`` (a schedule function), or lr0 if there is none."""
    after = constant(lr0) if after is None else after
    return lambda t: lr0 * t / warmup_steps if t < warmup_steps else after(t - warmup_steps)
