"""``minigrad compare`` across depths, with a learning rate per optimizer and a schedule.

    minigrad compare --depth 1-5 --optimizers sgd,momentum,nesterov,rmsprop,adam \\
        --lr sgd=1.0,rmsprop=1e-3 --scheduler multistep --milestones 20,30 --gamma 0.5

Every optimizer trains the same MLP from the same initial weights on the same batches, once
per architecture (``--depth`` hidden layers of ``--width`` units, or explicit ``--hidden``
sizes); one table and one figure hold every run. The command-line options are parsed in
``cli/compare_options.py``; the plain ``compare`` (none of them given) is ``compare.py``.
"""
from __future__ import annotations

import json
import os
import time

from .. import models
from ..random import manual_seed
from ..viz.curves import plot_depths
from .choices import DEFAULT_VAL_SIZE, load_data, make_optimizer
from .choices import make_scheduler as make_named_scheduler
from .trainer import Trainer, TrainingDiverged, evaluate


def make_scheduler(options, optimizer, epochs, steps_per_epoch):
    """choices.make_scheduler, with the milestones and factor given on the command line."""
    return make_named_scheduler(options["name"], optimizer, epochs, steps_per_epoch,
                                options["milestones"], options["gamma"])


# ------------------------------------------------------------------ the runs
def compare_depths(optimizer_names, hidden_sizes, config, out_dir, lrs=None, schedule=None,
                   progress=False, log=print):
    """Train an MLP (``config['model']`` 'mlp' or 'mlp-bn') with each hidden-size tuple in
    ``hidden_sizes``, once per optimizer, all from the same weights per architecture and on
    the same batches; validation each epoch (the last ``config['val_size']`` training images,
    as ``compare.compare``), the test set once per run at the end. A run whose loss
    becomes NaN is kept, marked as diverged. Writes
    comparison.json, comparison.md and (with matplotlib) comparison.png; returns
    (results, table, figure path or None), results keyed by 'depth/optimizer'."""
    lrs, schedule = lrs or {}, schedule or {"name": "none", "milestones": None, "gamma": None}
    os.makedirs(out_dir, exist_ok=True)  # a bad folder fails now, not after the training
    build = {"mlp": models.mlp, "mlp-bn": models.mlp_bn}[config["model"]]
    manual_seed(config["seed"])
    loaders = load_data(config["dataset"], config["batch_size"], config.get("subset"),
                        config.get("data_root"), config.get("val_size", DEFAULT_VAL_SIZE))
    results = {}
    for hidden in hidden_sizes:
        manual_seed(config["seed"])
        initial = build(hidden).state_dict()
        for name in optimizer_names:
            manual_seed(config["seed"] + 1)  # the same shuffling for every run
            model = build(hidden)
            model.load_state_dict(initial)
            optimizer = make_optimizer(name, model.parameters(), lrs.get(name))
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
