"""The MNIST recipes behind the command line: data, optimizers and schedules by name, one
training run, and the optimizer comparison. Each is a plain function, reusable from scripts."""
from __future__ import annotations

import csv
import json
import os
import time

import numpy as np

from . import data, models, optim
from .data import transforms as T
from .optim import lr_scheduler as S
from .random import manual_seed
from .train import Trainer, evaluate

DATASETS = {"mnist": data.MNIST, "fashion-mnist": data.FashionMNIST}
NORMALIZATION = {"mnist": (0.1307, 0.3081), "fashion-mnist": (0.2860, 0.3530)}

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


def load_data(dataset="mnist", batch_size=128, subset=None, root=None, seed=0):
    """Train and test DataLoaders: pixels scaled to [0, 1], standardised with the data set's
    mean and std, channel axis added; ``subset`` keeps the first N training images (and
    proportionally many test images, at least 1000) for quick runs."""
    mean, std = NORMALIZATION[dataset]
    transform = T.Compose([T.ToTensor(), T.Normalize(mean, std)])
    train = DATASETS[dataset](root=root, train=True, transform=transform)
    test = DATASETS[dataset](root=root, train=False, transform=transform)
    if subset:
        train = data.Subset(train, np.arange(min(subset, len(train))))
        test = data.Subset(test, np.arange(min(max(subset // 6, 1000), len(test))))
    return (data.DataLoader(train, batch_size, shuffle=True),
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


def train_run(config: dict, out_dir=None, resume=None, progress=None, log=print):
    """Train per ``config`` (model, optimizer, lr, scheduler, epochs, batch_size, seed,
    dataset, subset); returns (trainer, test loss, test accuracy)."""
    manual_seed(config["seed"])
    train_loader, test_loader = load_data(config["dataset"], config["batch_size"],
                                          config.get("subset"), config.get("data_root"))
    model = models.build(config["model"])
    optimizer = make_optimizer(config["optimizer"], model.parameters(), config.get("lr"))
    scheduler, interval = make_scheduler(config["scheduler"], optimizer, config["epochs"],
                                         len(train_loader))
    trainer = Trainer(model, optimizer, scheduler=scheduler, scheduler_interval=interval,
                      out_dir=out_dir, progress=progress, log=log, metadata={"config": config},
                      compile=config.get("compile", False))
    if resume:
        trainer.resume(resume)
    trainer.fit(train_loader, config["epochs"], test_loader)
    test_loss, test_accuracy = evaluate(model, test_loader)
    if out_dir:
        write_history(trainer.history, out_dir)
    return trainer, test_loss, test_accuracy


def write_history(history, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "history.json"), "w") as handle:
        json.dump(history, handle, indent=1, default=float)
    with open(os.path.join(out_dir, "history.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(history[0]) if history else ["epoch"])
        writer.writeheader()
        writer.writerows(history)


def compare(optimizer_names, config: dict, out_dir, progress=None, log=print):
    """Train the same model from the same initial weights, on the same batches, once per
    optimizer; write comparison.json, comparison.md and (with matplotlib) comparison.png."""
    manual_seed(config["seed"])
    train_loader, test_loader = load_data(config["dataset"], config["batch_size"],
                                          config.get("subset"), config.get("data_root"))
    initial = models.build(config["model"]).state_dict()
    results = {}
    for name in optimizer_names:
        manual_seed(config["seed"] + 1)  # the same shuffling for every optimizer
        model = models.build(config["model"])
        model.load_state_dict(initial)
        optimizer = make_optimizer(name, model.parameters())
        start = time.perf_counter()
        history = Trainer(model, optimizer, progress=progress).fit(train_loader, config["epochs"],
                                                                   test_loader)
        results[name] = {"lr": optimizer.param_groups[0]["lr"], "history": history,
                         "seconds": time.perf_counter() - start}
        if log:
            log(f"{name:9s} test accuracy {100 * history[-1]['val_accuracy']:.2f}%")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "comparison.json"), "w") as handle:
        json.dump(results, handle, indent=1, default=float)
    table = comparison_table(results)
    with open(os.path.join(out_dir, "comparison.md"), "w") as handle:
        handle.write(table + "\n")
    plot_comparison(results, os.path.join(out_dir, "comparison.png"))
    return results, table


def comparison_table(results) -> str:
    lines = ["| optimizer | lr | final train loss | test loss | test accuracy | seconds |",
             "|---|---|---|---|---|---|"]
    for name, result in results.items():
        last = result["history"][-1]
        lines.append(f"| {name} | {result['lr']:g} | {last['train_loss']:.4f} | "
                     f"{last['val_loss']:.4f} | {100 * last['val_accuracy']:.2f}% | "
                     f"{result['seconds']:.1f} |")
    return "\n".join(lines)


def plot_comparison(results, path) -> bool:
    """Loss and accuracy curves per optimizer; False (and no file) without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(11, 4))
    for name, result in results.items():
        epochs = [r["epoch"] for r in result["history"]]
        loss_axis.plot(epochs, [r["train_loss"] for r in result["history"]], label=name)
        accuracy_axis.plot(epochs, [100 * r["val_accuracy"] for r in result["history"]], label=name)
    loss_axis.set(xlabel="epoch", ylabel="training loss", yscale="log", title="Training loss")
    accuracy_axis.set(xlabel="epoch", ylabel="test accuracy (%)", title="Test accuracy")
    loss_axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True
