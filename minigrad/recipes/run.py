"""One training run on a data set by name (``minigrad train``): build the model, optimizer and
schedule from the configuration, train with the Trainer (checkpoints every epoch, exact
resume), evaluate the test set once at the end, and write the history, results and curves.
How the configuration is decided (defaults, resume, conflicts) is ``config.py``'s job.
"""
from __future__ import annotations

import csv
import json
import os
from typing import NamedTuple

from .. import models
from ..distributed.training import is_main_process, main_process_first, world_size, wrap_model
from ..random import manual_seed
from ..serialization import load
from ..utils.data import DataLoader, shard_loader
from ..viz.curves import plot_curves
from .choices import DEFAULT_VAL_SIZE, load_data, load_split, make_optimizer, make_scheduler
from .trainer import Trainer, evaluate, open_writer


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during ``train_run``: the history of the finished epochs was written, and
    ``checkpoint`` (or None) is where the run can be resumed from."""

    def __init__(self, epoch, checkpoint):
        super().__init__(epoch, checkpoint)
        self.epoch, self.checkpoint = epoch, checkpoint


def train_run(config: dict, out_dir=None, resume=None, progress=None, log=print,
              tensorboard=None):
    """Train per ``config`` (model, optimizer, lr, scheduler, epochs, batch_size, seed,
    dataset, subset, val_size); returns (trainer, test loss, test accuracy), the test set
    evaluated once, after the last epoch. With ``out_dir``: a checkpoint per epoch, the
    history (history.json, history.csv), results.json and, with matplotlib, curves.png.
    With ``tensorboard`` (a folder): each epoch's record also goes to TensorBoard there."""
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
                                         len(loaders.train), config.get("milestones"),
                                         config.get("gamma"))
    saved_config = {k: v for k, v in config.items() if k != "data_root"}  # a machine's path
    # The processes it trains on: a resume on another number would be another run.
    saved_config["world_size"] = world_size()
    trainer = Trainer(model, optimizer, scheduler=scheduler, scheduler_interval=interval,
                      out_dir=out_dir, progress=progress, log=log,
                      metadata={"config": saved_config}, compile=config.get("compile", False),
                      writer=open_writer(tensorboard))
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
    finally:
        if trainer.writer is not None:
            trainer.writer.close()
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


def _accuracy_shown(has_validation: bool) -> dict:
    """The accuracy the curves show: validation's, or training's when none is held out."""
    if has_validation:
        return {"accuracy_label": "validation accuracy (%)", "accuracy_key": "val_accuracy"}
    return {"accuracy_label": "training accuracy (%)", "accuracy_key": "train_accuracy"}


class Evaluation(NamedTuple):
    model: str
    dataset: str
    images: int
    loss: float
    accuracy: float
    epoch: int | None


def evaluate_checkpoint(path, data_root=None) -> Evaluation:
    """The test loss and accuracy of the model saved in a checkpoint of ``minigrad train``,
    on the test set of the data set it was trained on."""
    state = load(path)
    config = state.get("metadata", {}).get("config") if isinstance(state, dict) else None
    if not config or "model" not in state:
        raise ValueError(f"{path} is not a training checkpoint: it needs the model's state and "
                         "metadata.config naming the model and data set, as minigrad train "
                         "writes them")
    model = models.build(config["model"])
    model.load_state_dict(state["model"])
    dataset = config.get("dataset", "mnist")
    test = load_split(dataset, False, data_root)
    loss, accuracy = evaluate(model, DataLoader(test, 1000))
    return Evaluation(config["model"], dataset, len(test), loss, accuracy, state.get("epoch"))
