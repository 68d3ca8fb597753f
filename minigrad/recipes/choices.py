"""The choices behind the command line, by name: data sets (and how they are loaded and split),
optimizers with their usual learning rates, and learning-rate schedules sized to a run. A new
data set, optimizer or schedule is one entry here; the command line offers every name it finds.

The data are split three ways, as they should be when learning how to train: the model
learns from the training images; the *validation* images (by default the last 5,000 of the
training set, as cs231n's 49k/1k split and Keras' ``validation_split`` hold out the end)
measure each epoch and drive everything that chooses (ReduceLROnPlateau, which optimizer
looks best); the *test* images are evaluated once, at the end, and reported separately.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import data, optim
from ..data import transforms as T
from ..optim import lr_scheduler as S

# The registries: a new data set, optimizer or schedule is one entry here (the command line
# offers every name it finds).
# name -> Dataset class called as cls(root=..., train=..., transform=...)
DATASETS = {"mnist": data.MNIST, "fashion-mnist": data.FashionMNIST}
NORMALIZATION = {"mnist": (0.1307, 0.3081), "fashion-mnist": (0.2860, 0.3530)}
DEFAULT_VAL_SIZE = 5000

# name -> (class, default lr, extra options): the classic lab's line-up
OPTIMIZERS = {
    "sgd": (optim.SGD, 0.1, {}),
    "momentum": (optim.SGD, 0.05, {"momentum": 0.9}),
    "nesterov": (optim.SGD, 0.05, {"momentum": 0.9, "nesterov": True}),
    "adagrad": (optim.Adagrad, 0.01, {}),
    "adadelta": (optim.Adadelta, 1.0, {}),
    "rmsprop": (optim.RMSprop, 1e-3, {}),
    "adam": (optim.Adam, 1e-3, {}),
    "adamw": (optim.AdamW, 1e-3, {}),
    "nadam": (optim.NAdam, 2e-3, {}),
    "radam": (optim.RAdam, 1e-3, {}),
    "adamax": (optim.Adamax, 2e-3, {}),
}
SCHEDULERS = ("none", "step", "multistep", "exponential", "inverse-time", "cosine", "onecycle",
              "plateau", "warmup-cosine")
# Schedules sized to the run's length: a run that uses one cannot be extended on resume.
LENGTH_DEPENDENT_SCHEDULERS = ("step", "multistep", "cosine", "onecycle", "warmup-cosine")
# the factor of each schedule that takes one (--gamma), and its value when not given
SCHEDULE_GAMMA = {"step": 0.1, "multistep": 0.1, "exponential": 0.8}
# What each schedule does to the learning rate, as the command line's --help says it.
SCHEDULER_HELP = {
    "none": "constant",
    "step": "x gamma (0.1: a tenfold cut) every max(1, epochs // 3) epochs, so every epoch in "
            "runs of up to 5 epochs",
    "multistep": "x gamma (0.1) at each of --milestones (default: half and three quarters of "
                 "the epochs)",
    "exponential": "x gamma (0.8) every epoch",
    "inverse-time": "lr / (1 + 0.5 t) after t epochs",
    "cosine": "from lr down to 0 along a half cosine over the run",
    "onecycle": "up to lr and back down over the run, every batch",
    "plateau": "halved after two epochs in a row without a better validation loss",
    "warmup-cosine": "up from 0 over the first epoch, then a cosine down to 0, every batch",
}


class Loaders(NamedTuple):
    train: data.DataLoader
    val: data.DataLoader | None  # None when val_size is 0
    test: data.DataLoader


def load_split(dataset="mnist", train=True, root=None):
    """One split of a data set by name: pixels scaled to [0, 1], standardised with the data
    set's mean and std, channel axis added. Loads only that split's files."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}; choose from {', '.join(DATASETS)}")
    mean, std = NORMALIZATION[dataset]
    transform = T.Compose([T.ToTensor(), T.Normalize(mean, std)])
    return DATASETS[dataset](root=root, train=train, transform=transform)


def load_data(dataset="mnist", batch_size=128, subset=None, root=None,
              val_size=DEFAULT_VAL_SIZE) -> Loaders:
    """Loaders(train, val, test). The last ``val_size`` training images are held out for
    validation (0: none); ``subset`` keeps only the first N of the remaining training images
    for quick runs (validation and test sets stay whole)."""
    full_train = load_split(dataset, True, root)
    total = len(full_train)
    if not 0 <= val_size < total:
        raise ValueError(f"val_size must be between 0 and {total - 1} (the training set has "
                         f"{total} images); got {val_size}")
    available = total - val_size
    if subset is not None and subset > available:
        # Clamping would train on fewer images than the run records and reports.
        raise ValueError(f"--subset {subset}: the training split has only {available:,} images "
                         f"({total:,} training images minus the {val_size:,} held out for "
                         f"validation by --val-size); give --subset {available} or less")
    kept = available if subset is None else subset
    train = data.Subset(full_train, np.arange(kept))
    val = data.Subset(full_train, np.arange(total - val_size, total)) if val_size else None
    test = load_split(dataset, False, root)
    return Loaders(data.DataLoader(train, batch_size, shuffle=True),
                   data.DataLoader(val, 1000) if val is not None else None,
                   data.DataLoader(test, 1000))


def make_optimizer(name, parameters, lr=None):
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(OPTIMIZERS)}")
    cls, default_lr, options = OPTIMIZERS[name]
    return cls(list(parameters), lr=default_lr if lr is None else lr, **options)


def check_schedule_options(name, milestones=None, gamma=None) -> None:
    """Refuse --milestones or --gamma on a schedule that has no use for them (ignoring them
    would train with another schedule than the one asked for)."""
    if milestones is not None:
        if name != "multistep":
            raise ValueError(f"--milestones applies to --scheduler multistep, not {name}")
        if list(milestones) != sorted(set(milestones)):
            raise ValueError(f"--milestones must increase, got {','.join(map(str, milestones))}")
    if gamma is not None and name not in SCHEDULE_GAMMA:
        raise ValueError(f"--gamma applies to --scheduler {', '.join(SCHEDULE_GAMMA)}, not {name}")


def make_scheduler(name, optimizer, epochs, steps_per_epoch, milestones=None, gamma=None):
    """A schedule by name, sized to the run (see SCHEDULER_HELP); per-batch ones count
    batches, others epochs. ``milestones`` (multistep) and ``gamma`` (step, multistep,
    exponential) replace the defaults."""
    check_schedule_options(name, milestones, gamma)
    lr = optimizer.param_groups[0]["lr"]
    total = epochs * steps_per_epoch
    factor = SCHEDULE_GAMMA.get(name) if gamma is None else gamma
    milestones = milestones or [max(1, epochs // 2), max(2, 3 * epochs // 4)]
    table = {
        "none": lambda: None,
        "step": lambda: S.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=factor),
        "multistep": lambda: S.MultiStepLR(optimizer, milestones, gamma=factor),
        "exponential": lambda: S.ExponentialLR(optimizer, gamma=factor),
        "inverse-time": lambda: S.InverseTimeDecayLR(optimizer, k=0.5),
        "cosine": lambda: S.CosineAnnealingLR(optimizer, T_max=epochs),
        "onecycle": lambda: S.OneCycleLR(optimizer, max_lr=lr, total_steps=total),
        "plateau": lambda: S.ReduceLROnPlateau(optimizer, factor=0.5, patience=1),
        "warmup-cosine": lambda: S.WarmupLR(optimizer, steps_per_epoch,
                                            after=S.CosineAnnealingLR(optimizer, T_max=max(1, total - steps_per_epoch))),
    }
    if name not in table:
        raise ValueError(f"unknown scheduler {name!r}; choose from {', '.join(SCHEDULERS)}")
    scheduler = table[name]()
    interval = "batch" if name in ("onecycle", "warmup-cosine") else "epoch"
    return scheduler, interval
