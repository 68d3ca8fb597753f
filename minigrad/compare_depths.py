"""``minigrad compare`` across depths, with a learning rate per optimizer and a schedule.

    minigrad compare --depth 1-5 --optimizers sgd,momentum,nesterov,rmsprop,adam \\
        --lr sgd=1.0,rmsprop=1e-3 --scheduler multistep --milestones 20,30 --gamma 0.5

Every optimizer trains the same MLP from the same initial weights on the same batches, once
per architecture (``--depth`` hidden layers of ``--width`` units, or explicit ``--hidden``
sizes); one table and one figure hold every run. The command-line options are parsed in
``compare_options``; the plain ``compare`` (none of them given) is ``experiments.compare``.
"""
from __future__ import annotations

import json
import os
import time

from . import experiments, models
from .optim import lr_scheduler as S
from .random import manual_seed
from .train import Trainer, TrainingDiverged, evaluate

# the factor of each schedule that takes one, when --gamma is not given
SCHEDULE_GAMMA = {"step": 0.1, "multistep": 0.1, "exponential": 0.8}


def make_scheduler(options, optimizer, epochs, steps_per_epoch):
    """experiments.make_scheduler, with the milestones and factor given on the command line."""
    name, gamma = options["name"], options["gamma"]
    if name == "multistep" and (options["milestones"] or gamma is not None):
        milestones = options["milestones"] or [max(1, epochs // 2), max(2, 3 * epochs // 4)]
        return S.MultiStepLR(optimizer, milestones, gamma or SCHEDULE_GAMMA[name]), "epoch"
    if name == "step" and gamma is not None:
        return S.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=gamma), "epoch"
    if name == "exponential" and gamma is not None:
        return S.ExponentialLR(optimizer, gamma=gamma), "epoch"
    return experiments.make_scheduler(name, optimizer, epochs, steps_per_epoch)


# ------------------------------------------------------------------ the runs
def compare_depths(optimizer_names, hidden_sizes, config, out_dir, lrs=None, schedule=None,
                   progress=False, log=print):
    """Train an MLP (``config['model']`` 'mlp' or 'mlp-bn') with each hidden-size tuple in
    ``hidden_sizes``, once per optimizer, all from the same weights per architecture and on
    the same batches; validation each epoch (the last ``config['val_size']`` training images,
    as ``experiments.compare``), the test set once per run at the end. A run whose loss
    becomes NaN is kept, marked as diverged. Writes
    comparison.json, comparison.md and (with matplotlib) comparison.png; returns
    (results, table, figure path or None), results keyed by 'depth/optimizer'."""
    lrs, schedule = lrs or {}, schedule or {"name": "none", "milestones": None, "gamma": None}
    build = {"mlp": models.mlp, "mlp-bn": models.mlp_bn}[config["model"]]
    manual_seed(config["seed"])
    loaders = experiments.load_data(config["dataset"], config["batch_size"], config.get("subset"),
                                    config.get("data_root"),
                                    config.get("val_size", experiments.DEFAULT_VAL_SIZE))
    results = {}
    for hidden in hidden_sizes:
        manual_seed(config["seed"])
        initial = build(hidden).state_dict()
        for name in optimizer_names:
            manual_seed(config["seed"] + 1)  # the same shuffling for every run
            model = build(hidden)
            model.load_state_dict(initial)
            optimizer = experiments.make_optimizer(name, model.parameters(), lrs.get(name))
            scheduler, interval = make_scheduler(schedule, optimizer, config["epochs"],
                                                 len(loaders.train))
            trainer = Trainer(model, optimizer, scheduler=scheduler, scheduler_interval=interval,
                              progress=progress)
            start, diverged = time.perf_counter(), None
            try:
                trainer.fit(loaders.train, config["epochs"], loaders.val)
            except TrainingDiverged:
                diverged = len(trainer.history) + 1  # the epoch in which the loss became NaN
            seconds = time.perf_counter() - start
            test_loss, test_accuracy = (None, None) if diverged else evaluate(model, loaders.test)
            key = f"{len(hidden)}/{name}"
            results[key] = {
                "hidden": list(hidden), "optimizer": name,
                "lr": optimizer.defaults["lr"], "history": trainer.history,
                "diverged_at_epoch": diverged, "seconds": seconds,
                "test_loss": test_loss, "test_accuracy": test_accuracy}
            if log:
                log(f"{len(hidden)} hidden x {name:9s} " + _outcome(results[key]))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "comparison.json"), "w") as handle:
        json.dump({"config": config, "schedule": schedule, "runs": results}, handle, indent=1,
                  default=float)
    table = depth_table(results)
    with open(os.path.join(out_dir, "comparison.md"), "w") as handle:
        handle.write(table + "\n")
    figure = os.path.join(out_dir, "comparison.png")
    return results, table, figure if plot_depths(results, figure) else None


def _outcome(result) -> str:
    if result["diverged_at_epoch"]:
        return f"diverged (NaN loss) in epoch {result['diverged_at_epoch']}"
    return f"test accuracy {100 * result['test_accuracy']:.2f}%"


def depth_table(results) -> str:
    lines = ["| hidden layers | optimizer | lr | final train loss | val loss | val accuracy "
             "| test loss | test accuracy | seconds |", "|---|---|---|---|---|---|---|---|---|"]
    for result in results.values():
        sizes = "-".join(map(str, result["hidden"]))
        head = f"| {len(result['hidden'])} ({sizes}) | {result['optimizer']} | {result['lr']:g} |"
        if result["diverged_at_epoch"]:
            lines.append(f"{head} diverged in epoch {result['diverged_at_epoch']} | - | - | - | "
                         f"- | {result['seconds']:.1f} |")
            continue
        last = result["history"][-1]
        val = ((f"{last['val_loss']:.4f} | {100 * last['val_accuracy']:.2f}%")
               if last["val_loss"] is not None else "- | -")
        lines.append(f"{head} {last['train_loss']:.4f} | {val} | {result['test_loss']:.4f} | "
                     f"{100 * result['test_accuracy']:.2f}% | {result['seconds']:.1f} |")
    return "\n".join(lines)


def plot_depths(results, path) -> bool:
    """One panel of training-loss curves per depth, then test error against depth per
    optimizer (log scale: 2% and 80% on one axis), or over the epochs for a single depth;
    False (and no file) without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    depths = sorted({len(r["hidden"]) for r in results.values()})
    names = list(dict.fromkeys(r["optimizer"] for r in results.values()))
    colors = {name: f"C{i}" for i, name in enumerate(names)}
    columns = min(3, len(depths) + 1)
    rows = -(-(len(depths) + 1) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3.6 * columns, 3.2 * rows),
                                squeeze=False)
    panels = list(axes.flat)
    for axis, depth in zip(panels, depths):
        for result in results.values():
            if len(result["hidden"]) == depth and result["history"]:
                axis.plot([r["epoch"] for r in result["history"]],
                          [r["train_loss"] for r in result["history"]],
                          color=colors[result["optimizer"]], label=result["optimizer"])
        axis.set(title=f"{depth} hidden layer{'s' if depth > 1 else ''}", xlabel="epoch",
                 ylabel="training loss", yscale="log")
    error = panels[len(depths)]
    for name in names:
        runs = [r for r in results.values() if r["optimizer"] == name and r["history"]]
        if len(depths) == 1:
            for r in runs:
                key = "val_accuracy" if r["history"][0]["val_accuracy"] is not None else \
                    "train_accuracy"
                error.plot([h["epoch"] for h in r["history"]],
                           [100 * (1 - h[key]) for h in r["history"]],
                           color=colors[name], label=name)
            continue
        points = [(len(r["hidden"]), 100 * (1 - r["test_accuracy"]))
                  for r in runs if not r["diverged_at_epoch"]]
        if points:
            error.plot(*zip(*points), "o-", color=colors[name], label=name)
    error.set(title="validation error" if len(depths) == 1 else "test error (not diverged)",
              xlabel="epoch" if len(depths) == 1 else "hidden layers", ylabel="%", yscale="log")
    if len(depths) > 1:
        error.set_xticks(depths)
    error.legend(fontsize=8)
    for axis in panels[len(depths) + 1:]:
        axis.set_visible(False)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True
