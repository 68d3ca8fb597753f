"""The recipes behind the command line: data sets, optimizers and schedules by name, one
training run, and the optimizer comparison. Each is a plain function, reusable from scripts.

The data are split three ways, as they should be when learning how to train: the model
learns from the training images; the *validation* images (by default the last 5,000 of the
training set, as cs231n's 49k/1k split and Keras' ``validation_split`` hold out the end)
measure each epoch and drive everything that chooses (ReduceLROnPlateau, which optimizer
looks best); the *test* images are evaluated once, at the end, and reported separately.
"""
from __future__ import annotations

import csv
import json
import os
import time
from typing import NamedTuple

import numpy as np

from . import data, models, optim
from .data import transforms as T
from .distributed.training import is_main_process, main_process_first, shard_loader, wrap_model
from .optim import lr_scheduler as S
from .plots import plot_curves
from .random import manual_seed
from .train import Trainer, evaluate

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
    kept = total - val_size if subset is None else min(subset, total - val_size)
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


def make_scheduler(name, optimizer, epochs, steps_per_epoch):
    """A schedule by name, sized to the run; per-batch ones count batches, others epochs."""
    lr = optimizer.param_groups[0]["lr"]
    total = epochs * steps_per_epoch
    table = {
        "none": lambda: None,
        "step": lambda: S.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=0.1),
        "multistep": lambda: S.MultiStepLR(optimizer, [max(1, epochs // 2), max(2, 3 * epochs // 4)]),
        "exponential": lambda: S.ExponentialLR(optimizer, gamma=0.8),
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


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during ``train_run``: the history of the finished epochs was written, and
    ``checkpoint`` (or None) is where the run can be resumed from."""

    def __init__(self, epoch, checkpoint):
        super().__init__(epoch, checkpoint)
        self.epoch, self.checkpoint = epoch, checkpoint


def train_run(config: dict, out_dir=None, resume=None, progress=None, log=print):
    """Train per ``config`` (model, optimizer, lr, scheduler, epochs, batch_size, seed,
    dataset, subset, val_size); returns (trainer, test loss, test accuracy), the test set
    evaluated once, after the last epoch. With ``out_dir``: a checkpoint per epoch, the
    history (history.json, history.csv), results.json and, with matplotlib, curves.png."""
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)  # a bad folder fails now, not after an epoch
    manual_seed(config["seed"])
    with main_process_first():  # under mpiexec, rank 0 alone downloads
        loaders = load_data(config["dataset"], config["batch_size"], config.get("subset"),
                            config.get("data_root"), config.get("val_size", DEFAULT_VAL_SIZE))
    loaders = loaders._replace(train=shard_loader(loaders.train, seed=config["seed"]))  # ours
    model = wrap_model(models.build(config["model"]))  # DDP under mpiexec
    optimizer = make_optimizer(config["optimizer"], model.parameters(), config.get("lr"))
    scheduler, interval = make_scheduler(config["scheduler"], optimizer, config["epochs"],
                                         len(loaders.train))
    saved_config = {k: v for k, v in config.items() if k != "data_root"}  # a machine's path
    trainer = Trainer(model, optimizer, scheduler=scheduler, scheduler_interval=interval,
                      out_dir=out_dir, progress=progress, log=log,
                      metadata={"config": saved_config}, compile=config.get("compile", False))
    if resume:
        trainer.resume(resume)
        if log and is_main_process():
            left = ("nothing left to train; the test set is evaluated again"
                    if trainer.epoch >= config["epochs"] else "continuing")
            log(f"resumed from epoch {trainer.epoch} of {config['epochs']} ({resume}): {left}")
    try:
        trainer.fit(loaders.train, config["epochs"], loaders.val)
    except KeyboardInterrupt:
        # The epoch in progress (perhaps already recorded, not yet saved) is lost; the
        # history written matches the newest checkpoint, from which the run can go on.
        saved_epoch, checkpoint = trainer.last_checkpoint or (0, None)
        history = [record for record in trainer.history if record["epoch"] <= saved_epoch]
        if out_dir and history and is_main_process():
            write_history(history, out_dir)
        raise RunInterrupted(saved_epoch, checkpoint) from None
    test_loss, test_accuracy = evaluate(model, loaders.test)
    if out_dir and is_main_process():  # one writer in a distributed run
        write_history(trainer.history, out_dir)
        write_results(out_dir, saved_config, trainer, test_loss, test_accuracy,
                      len(loaders.test.dataset))
        plot_curves({"run": trainer.history}, os.path.join(out_dir, "curves.png"),
                    f"{config['model']} + {config['optimizer']} on {config['dataset']}",
                    **_accuracy_shown(loaders.val is not None))
    return trainer, test_loss, test_accuracy


def write_history(history, out_dir):
    """history.json and history.csv: one record per epoch (training and validation)."""
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "history.json"), "w") as handle:
        json.dump(history, handle, indent=1, default=float)
    with open(os.path.join(out_dir, "history.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(history[0]) if history else ["epoch"])
        writer.writeheader()
        writer.writerows(history)


def write_results(out_dir, config, trainer, test_loss, test_accuracy, test_images):
    """results.json: the run's configuration, its last validation numbers and the test set's,
    measured once at the end."""
    last = trainer.history[-1] if trainer.history else {}
    results = {"config": config, "epochs": trainer.epoch,
               "val_loss": last.get("val_loss"), "val_accuracy": last.get("val_accuracy"),
               "test_loss": test_loss, "test_accuracy": test_accuracy,
               "test_images": test_images}
    with open(os.path.join(out_dir, "results.json"), "w") as handle:
        json.dump(results, handle, indent=1, default=float)


def compare(optimizer_names, config: dict, out_dir, progress=None, log=print):
    """Train the same model from the same initial weights, on the same batches, once per
    optimizer; validation each epoch, the test set once per optimizer at the end. Writes
    comparison.json, comparison.md and (with matplotlib) comparison.png."""
    os.makedirs(out_dir, exist_ok=True)  # a bad folder fails now, not after the training
    manual_seed(config["seed"])
    loaders = load_data(config["dataset"], config["batch_size"], config.get("subset"),
                        config.get("data_root"), config.get("val_size", DEFAULT_VAL_SIZE))
    initial = models.build(config["model"]).state_dict()
    results = {}
    for name in optimizer_names:
        manual_seed(config["seed"] + 1)  # the same shuffling for every optimizer
        model = models.build(config["model"])
        model.load_state_dict(initial)
        optimizer = make_optimizer(name, model.parameters())
        start = time.perf_counter()
        history = Trainer(model, optimizer, progress=progress).fit(loaders.train,
                                                                   config["epochs"], loaders.val)
        seconds = time.perf_counter() - start
        test_loss, test_accuracy = evaluate(model, loaders.test)
        results[name] = {"lr": optimizer.param_groups[0]["lr"], "history": history,
                         "seconds": seconds, "test_loss": test_loss,
                         "test_accuracy": test_accuracy}
        if log:
            log(f"{name:9s} test accuracy {100 * test_accuracy:.2f}%")
    with open(os.path.join(out_dir, "comparison.json"), "w") as handle:
        json.dump(results, handle, indent=1, default=float)
    table = comparison_table(results)
    with open(os.path.join(out_dir, "comparison.md"), "w") as handle:
        handle.write(table + "\n")
    plot_curves({name: r["history"] for name, r in results.items()},
                os.path.join(out_dir, "comparison.png"),
                f"Optimizers from the same start: {config['model']} on {config['dataset']}",
                **_accuracy_shown(loaders.val is not None))
    return results, table


def _accuracy_shown(has_validation: bool) -> dict:
    """The accuracy the curves show: validation's, or training's when none is held out."""
    if has_validation:
        return {"accuracy_label": "validation accuracy (%)", "accuracy_key": "val_accuracy"}
    return {"accuracy_label": "training accuracy (%)", "accuracy_key": "train_accuracy"}


def comparison_table(results) -> str:
    lines = ["| optimizer | lr | final train loss | val loss | val accuracy | test loss | "
             "test accuracy | seconds |", "|---|---|---|---|---|---|---|---|"]
    for name, result in results.items():
        last = result["history"][-1]
        val = ((f"{last['val_loss']:.4f} | {100 * last['val_accuracy']:.2f}%")
               if last["val_loss"] is not None else "- | -")
        lines.append(f"| {name} | {result['lr']:g} | {last['train_loss']:.4f} | {val} | "
                     f"{result['test_loss']:.4f} | {100 * result['test_accuracy']:.2f}% | "
                     f"{result['seconds']:.1f} |")
    return "\n".join(lines)


def resume_config(saved: dict, requested: dict, checkpoint, done_epochs: int) -> dict:
    """The configuration for resuming a run: the checkpoint's own, with ``epochs`` changed
    when asked and possible. ``requested`` maps option names to what the user gave (None:
    not given). Options that differ from the run's are refused, all named at once: silently
    ignoring them would train something other than what was asked for."""
    saved = {"val_size": 0, **saved}  # runs saved before the validation split had none
    conflicts = []
    for key, value in requested.items():
        if key in ("epochs", "data_root") or value is None or key not in saved:
            continue
        have = saved[key]
        if key == "lr":  # None means the optimizer's default: compare the numbers
            have = OPTIMIZERS[saved["optimizer"]][1] if have is None else have
        if value != have:
            conflicts.append(f"--{key.replace('_', '-')} {value} (the run's: {have})")
    if conflicts:
        raise ValueError(f"{checkpoint} belongs to a run with other options: "
                         f"{'; '.join(conflicts)}. Leave them out to continue that run, or "
                         "start a new run without --resume to change them")
    config = {**saved, "data_root": requested.get("data_root")}
    epochs = requested.get("epochs")
    if epochs is not None and epochs != saved["epochs"]:
        if saved["scheduler"] in LENGTH_DEPENDENT_SCHEDULERS:
            free = ", ".join(s for s in SCHEDULERS if s not in LENGTH_DEPENDENT_SCHEDULERS)
            raise ValueError(
                f"--epochs {epochs}: this run's {saved['scheduler']} schedule was sized for "
                f"{saved['epochs']} epochs and has already shaped its learning rates for that "
                "length, so it cannot be extended or shortened; start a new run with "
                f"--epochs {epochs}, or use a schedule that does not depend on the run's "
                f"length ({free})")
        config["epochs"] = epochs
    if config["epochs"] < done_epochs:
        raise ValueError(f"--epochs {config['epochs']}: {checkpoint} has already trained "
                         f"{done_epochs} epochs")
    return config
