"""``LRScheduler``: writes a schedule's value into an optimizer, with PyTorch's interface.

A scheduler is a function of its step counter ``last_epoch``: ``lr_at(t)`` gives the
learning rate of every parameter group at step t, computed from the group's initial lr by
a schedule in ``minigrad.optim.schedules``. ``step()`` advances the counter and writes the
new values; construction performs step 0, as in PyTorch. Because the value depends only on
t, ``state_dict`` needs little more than t, and resuming is exact.
"""
from __future__ import annotations

import types
import warnings

from ..optimizer import Optimizer


class LRScheduler:
    def __init__(self, optimizer: Optimizer, last_epoch: int = -1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] "
                                   "when resuming an optimizer")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self.step()

    def schedule(self, base_lr: float):
        """The schedule function t -> lr for a group whose initial lr is ``base_lr``."""
        raise NotImplementedError

    def lr_at(self, t: int) -> list:
        return [self.schedule(base_lr)(t) for base_lr in self.base_lrs]

    def momentum_at(self, t: int):
        """Momentum values to write (cyclic schedules only), or None."""
        return None

    def step(self):
        self._step_count += 1
        if self._step_count == 2 and self.optimizer._step_count == 0:
            warnings.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                          "Call `optimizer.step()` first, then `lr_scheduler.step()`; otherwise "
                          "the first value of the learning rate schedule is skipped.",
                          UserWarning, stacklevel=2)
        self.last_epoch += 1
        self._apply(self.lr_at(self.last_epoch), self.momentum_at(self.last_epoch))

    def _apply(self, lrs, momenta=None):
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        if momenta is not None:
            for group, momentum in zip(self.optimizer.param_groups, momenta):
                if "betas" in group:
                    group["betas"] = (momentum, *group["betas"][1:])
                else:
                    group["momentum"] = momentum
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list:
        """The learning rates the last ``step()`` wrote."""
        return self._last_lr

    def state_dict(self) -> dict:
        """Everything but the optimizer and plain functions (lambdas cannot be saved; pass the
        same ones again when rebuilding the scheduler)."""
        return {key: _export(value) for key, value in self.__dict__.items()
                if key != "optimizer" and not isinstance(value, types.FunctionType)}

    def load_state_dict(self, state_dict: dict) -> None:
        for key, value in state_dict.items():
            current = self.__dict__.get(key)
            if isinstance(current, list) and current and isinstance(current[0], LRScheduler):
                for scheduler, sub_state in zip(current, value):
                    scheduler.load_state_dict(sub_state)
            elif isinstance(current, LRScheduler):
                current.load_state_dict(value)
            else:
                self.__dict__[key] = value

    def __repr__(self):
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self.get_last_lr()})"


def _export(value):
    if isinstance(value, list) and value and isinstance(value[0], LRScheduler):
        return [scheduler.state_dict() for scheduler in value]
    if isinstance(value, LRScheduler):
        return value.state_dict()
    return value


def check(condition: bool, message: str):
    """Raise ValueError(message) unless condition holds: argument validation, before any
    state is touched."""
    if not condition:
        raise ValueError(message)


def per_group(optimizer, value, name: str) -> list:
    """One value per parameter group: a single value is repeated; a list or tuple must hold
    exactly one value per group (a ValueError otherwise, as in PyTorch)."""
    groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        check(len(value) == groups, f"expected {groups} values of {name}, one per parameter "
                                    f"group; got {len(value)}")
        return list(value)
    return [value] * groups
