"""Schedulers built from other schedulers: in sequence, chained, or after a warmup."""
from .base import LRScheduler, check
from .plateau import ReduceLROnPlateau


def _closed_form(schedulers, optimizer, who):
    for i, scheduler in enumerate(schedulers):
        check(not isinstance(scheduler, ReduceLROnPlateau),
              f"{who} cannot contain ReduceLROnPlateau (scheduler {i}): it depends on a metric, "
              "not on the step")
        check(scheduler.optimizer is optimizer,
              f"{who} expects all schedulers to belong to the same optimizer; scheduler {i} "
              "does not")


class SequentialLR(LRScheduler):
    """Scheduler i runs from milestone i-1 to milestone i, its own step counted from 0 there."""

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        check(len(schedulers) >= 1, "SequentialLR expects at least one scheduler")
        _closed_form(schedulers, optimizer, "SequentialLR")
        check(len(milestones) == len(schedulers) - 1,
              f"Sequential Schedulers expects number of schedulers provided to be one more than "
              f"the number of milestone points, but got {len(schedulers)} schedulers and "
              f"{len(milestones)} milestones")
        self._schedulers, self._milestones = list(schedulers), list(milestones)
        for group, base in zip(optimizer.param_groups, schedulers[0].base_lrs):
            group["lr"] = base  # undo what constructing the sub-schedulers wrote
        super().__init__(optimizer, last_epoch)

    def lr_at(self, t):
        start = 0
        for scheduler, milestone in zip(self._schedulers, self._milestones):
            if t < milestone:
                return scheduler.lr_at(t - start)
            start = milestone
        return self._schedulers[-1].lr_at(t - start)


class ChainedScheduler(LRScheduler):
    """All schedulers at once: lr = initial_lr * product of each scheduler's lr / initial_lr
    (exactly PyTorch's result for multiplicative schedules)."""

    def __init__(self, schedulers, optimizer=None):
        check(len(schedulers) >= 1, "ChainedScheduler expects at least one scheduler")
        optimizer = optimizer or schedulers[0].optimizer
        _closed_form(schedulers, optimizer, "ChainedScheduler")
        self._schedulers = list(schedulers)
        super().__init__(optimizer)

    def lr_at(self, t):
        values = list(self.base_lrs)
        for scheduler in self._schedulers:
            values = [v * lr / base if base else lr
                      for v, lr, base in zip(values, scheduler.lr_at(t), scheduler.base_lrs)]
        return values


class WarmupLR(LRScheduler):
    """Beyond PyTorch: linear warmup from 0, lr = initial_lr * t / warmup_steps, then the
    ``after`` scheduler from its own step 0 (or the constant initial lr)."""

    def __init__(self, optimizer, warmup_steps, after=None, last_epoch=-1):
        check(isinstance(warmup_steps, int) and warmup_steps > 0,
              f"warmup_steps must be a positive integer; got {warmup_steps!r}")
        if after is not None:
            _closed_form([after], optimizer, "WarmupLR")
        self.warmup_steps, self._after = warmup_steps, after
        super().__init__(optimizer, last_epoch)

    def lr_at(self, t):
        if t < self.warmup_steps:
            return [base * t / self.warmup_steps for base in self.base_lrs]
        return list(self.base_lrs) if self._after is None else self._after.lr_at(t - self.warmup_steps)
