"""ReduceLROnPlateau: the one scheduler that reacts to a metric, and so keeps real state."""
import math

from .base import check


class ReduceLROnPlateau:
    """Multiply the lr by ``factor`` once the metric has not improved for more than
    ``patience`` steps (then wait ``cooldown`` steps before counting again), never below
    ``min_lr``; a reduction smaller than ``eps`` is skipped. Improvement means, for
    mode='min': metric < best * (1 - threshold) ('rel') or metric < best - threshold ('abs');
    mirrored for mode='max'. PyTorch's defaults and semantics.
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0.0, eps=1e-8):
        check(factor < 1.0, "Factor should be < 1.0.")
        check(mode in ("min", "max"), f"mode {mode!r} is unknown!")
        check(threshold_mode in ("rel", "abs"), f"threshold mode {threshold_mode!r} is unknown!")
        groups = optimizer.param_groups
        min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * len(groups)
        check(len(min_lrs) == len(groups), f"expected {len(groups)} min_lrs, got {len(min_lrs)}")
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode, self.cooldown = threshold, threshold_mode, cooldown
        self.min_lrs, self.eps = min_lrs, eps
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs, self.cooldown_counter, self.last_epoch = 0, 0, 0
        self._last_lr = [group["lr"] for group in groups]

    def is_better(self, value, best) -> bool:
        if self.mode == "min":
            limit = best * (1 - self.threshold) if self.threshold_mode == "rel" else best - self.threshold
            return value < limit
        limit = best * (self.threshold + 1) if self.threshold_mode == "rel" else best + self.threshold
        return value > limit

    def step(self, metrics):
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs during cooldown do not count
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                new_lr = max(group["lr"] * self.factor, min_lr)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def get_last_lr(self):
        return self._last_lr

    def state_dict(self):
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)
