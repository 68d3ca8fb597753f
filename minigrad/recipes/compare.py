"""The optimizer comparison (``minigrad compare``): the same model from the same initial
weights, on the same batches, trained once per optimizer; one table and one figure. The
comparison across depths, with a rate per optimizer and a schedule, is ``depth_study.py``."""
from __future__ import annotations

import json
import os
import time

from .. import models
from ..random import manual_seed
from ..viz.curves import plot_curves
from .choices import DEFAULT_VAL_SIZE, load_data, make_optimizer
from .run import _accuracy_shown
from .trainer import Trainer, TrainingDiverged, evaluate


def compare(optimizer_names, config: dict, out_dir, progress=None, log=print):
    """Train the same model from the same initial weights, on the same batches, once per
    optimizer; validation each epoch, the test set once per optimizer at the end. An
    optimizer whose loss becomes NaN is recorded as diverged (``diverged_at_epoch``, no test
    numbers) and the comparison goes on, as across depths. Writes comparison.json,
    comparison.md and (with matplotlib) comparison.png."""
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
        trainer = Trainer(model, optimizer, progress=progress)
        start, diverged = time.perf_counter(), None
        try:
            trainer.fit(loaders.train, config["epochs"], loaders.val)
        except TrainingDiverged:  # one optimizer's failure is a result, not the end
            diverged = len(trainer.history) + 1  # the epoch in which the loss became NaN
        seconds = time.perf_counter() - start
        test_loss, test_accuracy = (None, None) if diverged else evaluate(model, loaders.test)
        results[name] = {"lr": optimizer.param_groups[0]["lr"], "history": trainer.history,
                         "diverged_at_epoch": diverged, "seconds": seconds,
                         "test_loss": test_loss, "test_accuracy": test_accuracy}
        if log:
            log(f"{name:9s} " + (f"diverged (NaN loss) in epoch {diverged}" if diverged else
                                 f"test accuracy {100 * test_accuracy:.2f}%"))
    with open(os.path.join(out_dir, "comparison.json"), "w") as handle:
        json.dump(results, handle, indent=1, default=float)
    table = comparison_table(results)
    with open(os.path.join(out_dir, "comparison.md"), "w") as handle:
        handle.write(table + "\n")
    plot_curves({name + (" (diverged)" if r["diverged_at_epoch"] else ""): r["history"]
                 for name, r in results.items()},
                os.path.join(out_dir, "comparison.png"),
                f"Optimizers from the same start: {config['model']} on {config['dataset']}",
                **_accuracy_shown(loaders.val is not None))
    return results, table


def comparison_table(results) -> str:
    lines = ["| optimizer | lr | final train loss | val loss | val accuracy | test loss | "
             "test accuracy | seconds |", "|---|---|---|---|---|---|---|---|"]
    for name, result in results.items():
        if result.get("diverged_at_epoch"):
            lines.append(f"| {name} | {result['lr']:g} | diverged in epoch "
                         f"{result['diverged_at_epoch']} | - | - | - | - | "
                         f"{result['seconds']:.1f} |")
            continue
        last = result["history"][-1]
        val = ((f"{last['val_loss']:.4f} | {100 * last['val_accuracy']:.2f}%")
               if last["val_loss"] is not None else "- | -")
        lines.append(f"| {name} | {result['lr']:g} | {last['train_loss']:.4f} | {val} | "
                     f"{result['test_loss']:.4f} | {100 * result['test_accuracy']:.2f}% | "
                     f"{result['seconds']:.1f} |")
    return "\n".join(lines)
