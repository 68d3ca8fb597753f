"""``minigrad train --dataset moons|circles|blobs|spirals|xor``: a small MLP on a 2-D toy set.

The run, in order: draw the data set (seeded), hold out a validation split, build an MLP
2 -> hidden... -> classes with ReLU, train it with the same ``Trainer``, optimizers and
schedules as MNIST, then write the history, ``decision_boundary.png`` (regions, training
and validation points) and ``curves.png``; with ``--animate`` also the boundary at several
epochs as ``boundary.gif`` and a sheet of frames, ``boundary_frames.png``.

The command line (``cli/train.py``, with the toy options of ``cli/toy_options.py``) gets the
configuration from ``config.configure_toy_run`` and calls ``train_toy(config)``, as scripts do.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .. import nn
from ..data.toy import TOY_DATASETS
from ..random import manual_seed
from ..utils.data import DataLoader, TensorDataset
from ..viz import boundary
from ..viz.curves import plot_curves
from .choices import OPTIMIZERS, make_optimizer, make_scheduler
from .run import write_history
from .trainer import Trainer, open_writer

DATASETS = tuple(TOY_DATASETS)
# Per data set: how it is drawn, and how long to train. Each trains in a few seconds and
# leaves the validation accuracy near its ceiling (the noise puts some points on the wrong
# side of any boundary).
RECIPES = {
    "moons": ({"n_samples": 1000, "noise": 0.1}, 60),
    "circles": ({"n_samples": 1000, "noise": 0.05, "factor": 0.5}, 60),
    "blobs": ({"n_samples": 1000, "centers": 4, "std": 1.5}, 40),
    "spirals": ({"n_samples": 1500, "n_classes": 3, "noise": 0.2}, 150),
    "xor": ({"n_samples": 1000, "noise": 0.05}, 100),
}
DEFAULT_HIDDEN = (16, 16)
DEFAULT_VAL_FRACTION = 0.2
ANIMATION_FRAMES = 7  # plus the untrained net: a sheet of 2 x 4


def mlp(hidden=DEFAULT_HIDDEN, num_classes: int = 2, in_features: int = 2) -> nn.Module:
    """in_features -> hidden[0] -> ... -> num_classes, ReLU between the linear layers."""
    layers, width = [], in_features
    for size in hidden:
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    return nn.Sequential(*layers, nn.Linear(width, num_classes))


def make_data(config: dict):
    """The data set of ``config`` split into (X_train, y_train, X_val, y_val) arrays; the
    last points (already shuffled) are held out for validation."""
    options = dict(RECIPES[config["dataset"]][0])
    if config.get("samples") is not None:
        options["n_samples"] = config["samples"]
    if config.get("noise") is not None:  # the blobs' noise is their spread
        options["std" if config["dataset"] == "blobs" else "noise"] = config["noise"]
    X, y = TOY_DATASETS[config["dataset"]](**options, seed=config["seed"])
    n_train = len(y) - _validation_count(len(y), config.get("val_size"))
    return X.array[:n_train], y.array[:n_train], X.array[n_train:], y.array[n_train:]


def _validation_count(n, val_size) -> int:
    """``val_size`` below 1 is a fraction of the points, from 1 on a count."""
    if val_size is None:
        val_size = DEFAULT_VAL_FRACTION
    count = int(round(val_size * n)) if val_size < 1 else int(val_size)
    if val_size < 0 or count >= n:
        raise ValueError(f"--val-size must be a fraction in [0, 1) or a count below the {n} "
                         f"points, leaving some to train on; got {val_size}")
    return count


@dataclass
class ToyRun:
    """What a toy run leaves: the model, its trainer (with the history), the data split as
    arrays, and the boundary frames (``--animate``) over the plotting extent."""
    model: nn.Module
    trainer: Trainer
    data: tuple
    extent: tuple
    frames: list = field(default_factory=list)


def train_toy(config: dict, out_dir=None, log=print, animate: bool = False,
              tensorboard=None) -> ToyRun:
    """Train per ``config`` (dataset, hidden, optimizer, lr, scheduler, epochs, batch_size,
    seed; optional samples, noise, val_size); with ``out_dir`` also write the files; with
    ``tensorboard`` (a folder) log each epoch to TensorBoard there."""
    if config["dataset"] not in RECIPES:
        raise ValueError(f"unknown toy data set {config['dataset']!r}; choose from "
                         f"{', '.join(DATASETS)}")
    manual_seed(config["seed"])
    data = X_train, y_train, X_val, y_val = make_data(config)
    classes = int(max(y_train.max(), y_val.max(initial=0))) + 1
    model = mlp(config["hidden"], classes)
    lr = config.get("lr")
    if lr is None:  # small nets on a few hundred points take larger steps than MNIST's
        lr = max(OPTIMIZERS[config["optimizer"]][1], 0.01)
    optimizer = make_optimizer(config["optimizer"], model.parameters(), lr)
    train_loader = DataLoader(TensorDataset(X_train, y_train), config["batch_size"], shuffle=True)
    val_loader = DataLoader(TensorDataset(X_val, y_val), 4096) if len(y_val) else None
    epochs = config["epochs"]
    scheduler, interval = make_scheduler(config["scheduler"], optimizer, epochs,
                                         len(train_loader), config.get("milestones"),
                                         config.get("gamma"))
    trainer = Trainer(model, optimizer, scheduler=scheduler, scheduler_interval=interval,
                      progress=False, writer=open_writer(tensorboard))
    result = ToyRun(model, trainer, data, boundary.grid_extent(X_train, X_val))
    if animate:
        result.frames.append(("epoch 0", boundary.predict_grid(model, result.extent, 100)))
    # Train in chunks (fit continues where it stopped): one log line and one frame each.
    stops = sorted({max(1, round(epochs * k / ANIMATION_FRAMES))
                    for k in range(1, ANIMATION_FRAMES + 1)})
    try:
        for stop in stops:
            trainer.fit(train_loader, stop, val_loader)
            if log:
                log(_summary(trainer.history[-1]))
            if animate:
                result.frames.append((f"epoch {stop}",
                                      boundary.predict_grid(model, result.extent, 100)))
    finally:
        if trainer.writer is not None:
            trainer.writer.close()
    if out_dir:
        write_outputs(result, out_dir)
    return result


def write_outputs(result: ToyRun, out_dir) -> list[str]:
    """History files, and with matplotlib the pictures; returns the names written."""
    os.makedirs(out_dir, exist_ok=True)
    history = result.trainer.history
    write_history(history, out_dir)
    written = ["history.json", "history.csv"]
    if not boundary.have_matplotlib():
        return written
    last = history[-1]
    title = (f"{100 * last['val_accuracy']:.1f}% validation accuracy after {last['epoch']} epochs"
             if last["val_accuracy"] is not None else f"after {last['epoch']} epochs")
    boundary.plot_decision_boundary(result.model, *result.data, title=title,
                                    path=os.path.join(out_dir, "decision_boundary.png"))
    plot_curves({"run": history}, os.path.join(out_dir, "curves.png"), title,
                accuracy_label="accuracy (%)", train_accuracy=True)
    written += ["decision_boundary.png", "curves.png"]
    if result.frames:
        boundary.plot_frames(result.frames, result.extent, *result.data,
                             sheet_path=os.path.join(out_dir, "boundary_frames.png"),
                             gif_path=os.path.join(out_dir, "boundary.gif"))
        written += ["boundary_frames.png", "boundary.gif"]
    return written


def _summary(record) -> str:
    return (f"epoch {record['epoch']}: train loss {record['train_loss']:.4f}, train acc "
            f"{100 * record['train_accuracy']:.2f}%, val acc "
            + ("-" if record["val_accuracy"] is None else f"{100 * record['val_accuracy']:.2f}%"))
