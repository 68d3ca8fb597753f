"""Schedulers whose value is a fixed function of the step, each the PyTorch class of that name."""
from .. import schedules
from .base import LRScheduler, check, per_group


def _positive_int(value, name):
    check(isinstance(value, int) and value > 0, f"{name} must be a positive integer; got {value!r}")


class LambdaLR(LRScheduler):
    """lr = initial_lr * lr_lambda(t); one function, or one per parameter group."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        self.lr_lambdas = per_group(optimizer, lr_lambda, "lr_lambda")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, t):
        return [base * fn(t) for base, fn in zip(self.base_lrs, self.lr_lambdas)]

    def state_dict(self):
        state = super().state_dict()
        state.pop("lr_lambdas", None)  # functions: pass them again when rebuilding
        return state


class MultiplicativeLR(LambdaLR):
    """lr(t) = lr(t - 1) * lr_lambda(t): initial_lr times the product of the factors so far."""

    def lr_at(self, t):
        cache = self.__dict__.setdefault("_products", {})
        values = []
        for i, (base, fn) in enumerate(zip(self.base_lrs, self.lr_lambdas)):
            last_t, product = cache.get(i, (0, 1.0))
            if t < last_t:
                last_t, product = 0, 1.0
            for k in range(last_t + 1, t + 1):  # incremental: O(1) per ordinary step
                product *= fn(k)
            cache[i] = (t, product)
            values.append(base * product)
        return values


class StepLR(LRScheduler):
    """lr = initial_lr * gamma ** floor(t / step_size)."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        _positive_int(step_size, "step_size")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.step_lr(base_lr, self.step_size, self.gamma)


class MultiStepLR(LRScheduler):
    """lr = initial_lr * gamma ** (number of milestones reached)."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        check(list(milestones) == sorted(milestones), f"milestones must be increasing; got "
                                                      f"{list(milestones)}")
        self.milestones, self.gamma = list(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.multistep_lr(base_lr, self.milestones, self.gamma)


class ConstantLR(LRScheduler):
    """lr = initial_lr * factor until total_iters, then initial_lr."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        check(0 <= factor <= 1, f"constant factor must be between 0 and 1; got {factor}")
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.constant_lr(base_lr, self.factor, self.total_iters)


class LinearLR(LRScheduler):
    """lr = initial_lr * factor, the factor moving linearly from start_factor to end_factor
    over total_iters steps."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5,
                 last_epoch=-1):
        check(0 < start_factor <= 1, f"start_factor must be in (0, 1]; got {start_factor}")
        check(0 <= end_factor <= 1, f"end_factor must be in [0, 1]; got {end_factor}")
        _positive_int(total_iters, "total_iters")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.linear_lr(base_lr, self.start_factor, self.end_factor, self.total_iters)


class ExponentialLR(LRScheduler):
    """lr = initial_lr * gamma ** t."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        check(gamma > 0, f"gamma must be positive; got {gamma}")
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.exponential_lr(base_lr, self.gamma)


class PolynomialLR(LRScheduler):
    """lr = initial_lr * (1 - min(t, total_iters) / total_iters) ** power."""

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        _positive_int(total_iters, "total_iters")
        self.total_iters, self.power = total_iters, power
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.polynomial_lr(base_lr, self.total_iters, self.power)


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (initial_lr - eta_min) * (1 + cos(pi t / T_max)) / 2."""

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        _positive_int(T_max, "T_max")
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.cosine_annealing(base_lr, self.T_max, self.eta_min)


class CosineAnnealingWarmRestarts(LRScheduler):
    """SGDR: cosine annealing restarted after T_0, T_0 * T_mult, ... steps."""

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        _positive_int(T_0, "T_0")
        check(isinstance(T_mult, int) and T_mult >= 1, f"T_mult must be an integer >= 1; got "
                                                        f"{T_mult!r}")
        self.T_0, self.T_mult, self.eta_min = T_0, T_mult, eta_min
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.cosine_warm_restarts(base_lr, self.T_0, self.T_mult, self.eta_min)


class ExponentialDecayLR(LRScheduler):
    """Beyond PyTorch (a textbook decay): lr = initial_lr * exp(-k t)."""

    def __init__(self, optimizer, k, last_epoch=-1):
        check(k >= 0, f"k must be non-negative; got {k}")
        self.k = k
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.exponential_decay(base_lr, self.k)


class InverseTimeDecayLR(ExponentialDecayLR):
    """Beyond PyTorch (time-based decay): lr = initial_lr / (1 + k t)."""

    def schedule(self, base_lr):
        return schedules.inverse_time_decay(base_lr, self.k)


class StepDecayLR(LRScheduler):
    """Beyond PyTorch (a textbook decay): lr = initial_lr * drop ** floor(t / epochs_per_drop)."""

    def __init__(self, optimizer, drop, epochs_per_drop, last_epoch=-1):
        check(0 < drop <= 1, f"drop must be in (0, 1]; got {drop}")
        _positive_int(epochs_per_drop, "epochs_per_drop")
        self.drop, self.epochs_per_drop = drop, epochs_per_drop
        super().__init__(optimizer, last_epoch)

    def schedule(self, base_lr):
        return schedules.step_decay(base_lr, self.drop, self.epochs_per_drop)
