"""Cyclic schedules, which also cycle the momentum (or Adam's beta1) against the lr."""
from .. import schedules
from .base import LRScheduler, check, per_group


def _momentum_key(optimizer, cycle_momentum):
    if not cycle_momentum:
        return None
    if "betas" in optimizer.defaults:
        return "betas"
    check("momentum" in optimizer.defaults,
          "optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
    return "momentum"


class CyclicLR(LRScheduler):
    """Cyclical learning rates (see ``schedules.cyclic``); ``base_lr`` replaces the optimizer's
    lr. With cycle_momentum, momentum runs from max_momentum down to base_momentum while the
    lr rises, and back."""

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1):
        check(mode in schedules.CYCLIC_MODES or scale_fn is not None,
              f"mode must be one of {sorted(schedules.CYCLIC_MODES)}; got {mode!r}")
        check(step_size_up > 0 and (step_size_down is None or step_size_down > 0),
              "step_size_up and step_size_down must be positive")
        self._momentum_key = _momentum_key(optimizer, cycle_momentum)
        base_lrs = per_group(optimizer, base_lr, "base_lr")
        self.max_lrs = per_group(optimizer, max_lr, "max_lr")
        self.base_momentums = per_group(optimizer, base_momentum, "base_momentum")
        self.max_momentums = per_group(optimizer, max_momentum, "max_momentum")
        self.cycle = dict(step_size_up=step_size_up, step_size_down=step_size_down, mode=mode,
                          gamma=gamma, scale_mode=scale_mode)
        self.scale_fn = scale_fn
        if last_epoch == -1:
            for group, lr in zip(optimizer.param_groups, base_lrs):
                group["lr"] = group["initial_lr"] = lr
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def lr_at(self, t):
        return [schedules.cyclic(base, top, scale_fn=self.scale_fn, **self.cycle)(t)
                for base, top in zip(self.base_lrs, self.max_lrs)]

    def momentum_at(self, t):
        if self._momentum_key is None:
            return None
        # The same wave with its ends swapped: highest momentum where the lr is lowest.
        return [schedules.cyclic(high, low, scale_fn=self.scale_fn, **self.cycle)(t)
                for low, high in zip(self.base_momentums, self.max_momentums)]


class OneCycleLR(LRScheduler):
    """The 1cycle policy (see ``schedules.one_cycle``), momentum cycled inversely between
    max_momentum and base_momentum. Stepping past total_steps is an error, as in PyTorch."""

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        if total_steps is None:
            check(epochs is not None and steps_per_epoch is not None,
                  "You must define either total_steps OR (epochs AND steps_per_epoch)")
            check(epochs > 0 and steps_per_epoch > 0,
                  f"epochs and steps_per_epoch must be positive; got {epochs}, {steps_per_epoch}")
            total_steps = epochs * steps_per_epoch
        check(isinstance(total_steps, int) and total_steps > 0,
              f"Expected positive integer total_steps, but got {total_steps!r}")
        check(0 <= pct_start <= 1, f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        check(anneal_strategy in ("cos", "linear"),
              f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy!r}")
        self._momentum_key = _momentum_key(optimizer, cycle_momentum)
        self.total_steps, self.anneal_strategy = total_steps, anneal_strategy
        self.phases = schedules.one_cycle_phases(total_steps, pct_start, three_phase)
        max_lrs = per_group(optimizer, max_lr, "max_lr")
        self.lr_points = [{"initial": top / div_factor, "max": top,
                           "min": top / div_factor / final_div_factor} for top in max_lrs]
        self.momentum_points = [{"initial": high, "max": low, "min": high} for low, high in
                                zip(per_group(optimizer, base_momentum, "base_momentum"),
                                    per_group(optimizer, max_momentum, "max_momentum"))]
        if last_epoch == -1:
            for group, points in zip(optimizer.param_groups, self.lr_points):
                group["initial_lr"], group["max_lr"], group["min_lr"] = (
                    points["initial"], points["max"], points["min"])
        super().__init__(optimizer, last_epoch)

    def lr_at(self, t):
        check(t <= self.total_steps, f"Tried to step {t} times. The specified number of total "
                                     f"steps is {self.total_steps}")
        return [schedules.phased(self.phases, points, self.anneal_strategy)(t)
                for points in self.lr_points]

    def momentum_at(self, t):
        if self._momentum_key is None:
            return None
        return [schedules.phased(self.phases, points, self.anneal_strategy)(t)
                for points in self.momentum_points]
