"""``minigrad train --dataset moons|circles|blobs|spirals|xor``: a small MLP on a 2-D toy set.

The run, in order: draw the data set (seeded), hold out a validation split, build an MLP
2 -> hidden... -> classes with ReLU, train it with the same ``Trainer``, optimizers and
schedules as MNIST, then write the history, ``decision_boundary.png`` (regions, training
and validation points) and ``curves.png``; with ``--animate`` also the boundary at several
epochs as ``boundary.gif`` and a sheet of frames, ``boundary_frames.png``.

The command line reaches this module through ``add_arguments`` and ``run``; scripts call
``train_toy(config)``.
"""
from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass, field

from . import boundary, experiments, nn
from .data import DataLoader, TensorDataset
from .data.toy import TOY_DATASETS
from .plots import plot_curves
from .random import manual_seed
from .train import Trainer

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


def parse_hidden(text: str) -> tuple[int, ...]:
    """'16,16' -> (16, 16); '' -> () (a linear classifier)."""
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        sizes = None
    if sizes is None or any(size <= 0 for size in sizes):
        raise argparse.ArgumentTypeError(
            f"expects positive layer widths separated by commas, like 16,16; got {text!r}")
    return sizes


def _count(text) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 4:  # a few points for each split and class
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 4, got {text!r}")
    return value


def _noise(text) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The toy-only options of ``minigrad train``."""
    group = parser.add_argument_group("toy data sets (--dataset " + "|".join(DATASETS) + ")")
    group.add_argument("--hidden", type=parse_hidden, default=None,
                       help="hidden layer widths of the MLP (default: 16,16)")
    group.add_argument("--samples", type=_count, default=None,
                       help="number of points, at least 4 (default: 1000; 1500 for spirals)")
    group.add_argument("--noise", type=_noise, default=None,
                       help="noise of the data set, a finite number >= 0 (default: the "
                            "recipe's)")
    group.add_argument("--animate", action="store_true",
                       help="also write the boundary at several epochs (boundary.gif and "
                            "boundary_frames.png)")


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


def train_toy(config: dict, out_dir=None, log=print, animate: bool = False) -> ToyRun:
    """Train per ``config`` (dataset, hidden, optimizer, lr, scheduler, epochs, batch_size,
    seed; optional samples, noise, val_size); with ``out_dir`` also write the files."""
    if config["dataset"] not in RECIPES:
        raise ValueError(f"unknown toy data set {config['dataset']!r}; choose from "
                         f"{', '.join(DATASETS)}")
    manual_seed(config["seed"])
    data = X_train, y_train, X_val, y_val = make_data(config)
    classes = int(max(y_train.max(), y_val.max(initial=0))) + 1
    model = mlp(config["hidden"], classes)
    lr = config.get("lr")
    if lr is None:  # small nets on a few hundred points take larger steps than MNIST's
        lr = max(experiments.OPTIMIZERS[config["optimizer"]][1], 0.01)
    optimizer = experiments.make_optimizer(config["optimizer"], model.parameters(), lr)
    train_loader = DataLoader(TensorDataset(X_train, y_train), config["batch_size"], shuffle=True)
    val_loader = DataLoader(TensorDataset(X_val, y_val), 4096) if len(y_val) else None
    epochs = config["epochs"]
    scheduler, interval = experiments.make_scheduler(config["scheduler"], optimizer, epochs,
                                                     len(train_loader))
    trainer = Trainer(model, optimizer, scheduler=scheduler, scheduler_interval=interval,
                      progress=False)
    result = ToyRun(model, trainer, data, boundary.grid_extent(X_train, X_val))
    if animate:
        result.frames.append(("epoch 0", boundary.predict_grid(model, result.extent, 100)))
    # Train in chunks (fit continues where it stopped): one log line and one frame each.
    stops = sorted({max(1, round(epochs * k / ANIMATION_FRAMES))
                    for k in range(1, ANIMATION_FRAMES + 1)})
    for stop in stops:
        trainer.fit(train_loader, stop, val_loader)
        if log:
            log(_summary(trainer.history[-1]))
        if animate:
            result.frames.append((f"epoch {stop}",
                                  boundary.predict_grid(model, result.extent, 100)))
    if out_dir:
        write_outputs(result, out_dir)
    return result


def write_outputs(result: ToyRun, out_dir) -> list[str]:
    """History files, and with matplotlib the pictures; returns the names written."""
    os.makedirs(out_dir, exist_ok=True)
    history = result.trainer.history
    experiments.write_history(history, out_dir)
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


def run(args) -> int:
    """``minigrad train`` with a toy data set: train, write the files, report. An option
    that is absent or None takes the toy default (so this works whether the parser fills
    in MNIST's defaults or leaves unset options as None)."""
    def given(name):
        return getattr(args, name, None)

    if given("resume"):
        raise ValueError("--resume continues MNIST runs; a toy run takes seconds, start it again")
    if given("model") not in (None, "mlp"):
        raise ValueError(f"toy data sets train an MLP sized by --hidden; --model {args.model} "
                         "is for MNIST")
    if given("subset"):
        raise ValueError("--subset picks MNIST images; toy data sets take --samples N")
    _, default_epochs = RECIPES[args.dataset]
    defaults = {"optimizer": "adam", "scheduler": "cosine", "epochs": default_epochs,
                "batch_size": 128, "seed": 0, "hidden": DEFAULT_HIDDEN}
    config = {"dataset": args.dataset, "lr": given("lr"), "samples": given("samples"),
              "noise": given("noise"), "val_size": given("val_size"),
              **{key: default if given(key) is None else given(key)
                 for key, default in defaults.items()}}
    config["hidden"] = list(config["hidden"])
    out = given("out") or os.path.join("runs", f"toy-{args.dataset}")
    result = train_toy(config, log=None if given("quiet") else print, animate=given("animate"))
    written = write_outputs(result, out)
    history, model = result.trainer.history, result.model
    last = history[-1]
    sizes = "-".join(str(n) for n in (2, *config["hidden"], model[-1].out_features))
    accuracy = ("no validation split" if last["val_accuracy"] is None else
                f"validation accuracy {100 * last['val_accuracy']:.2f}%, "
                f"validation loss {last['val_loss']:.4f}")
    print(f"mlp {sizes} + {config['optimizer']} on {args.dataset}: {accuracy}, "
          f"{last['epoch']} epochs in {sum(r['seconds'] for r in history):.1f}s of training\n"
          f"wrote {out}/: "
          f"{', '.join(written)}"
          + ("" if boundary.have_matplotlib() else
             " (install matplotlib, the [plot] extra, for the pictures)"))
    return 0


def _summary(record) -> str:
    return (f"epoch {record['epoch']}: train loss {record['train_loss']:.4f}, train acc "
            f"{100 * record['train_accuracy']:.2f}%, val acc "
            + ("-" if record["val_accuracy"] is None else f"{100 * record['val_accuracy']:.2f}%"))
