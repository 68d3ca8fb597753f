"""Training: the loop, evaluation, the history, checkpoints and exact resume.

One epoch, in the order that matters:

    for each batch:   forward -> loss -> (stop if not finite) -> zero_grad -> backward
                      -> optimizer.step() -> scheduler.step() if it is a per-batch schedule
    then:             evaluate on the validation set -> scheduler.step() if per-epoch
                      (ReduceLROnPlateau gets the validation loss) -> record -> checkpoint

The validation set is held out of the training data; the test set is not seen here at all
(``recipes.run.train_run`` evaluates it once, after the last epoch), so nothing that chooses
(a plateau schedule, the reader comparing epochs) ever looks at it.

A checkpoint holds the model, the optimizer, the scheduler, the framework's random state
(which drives shuffling and dropout), the epoch and the history, so a run resumed from it in
a new process ends bit-identical to one that was never interrupted.
"""
from __future__ import annotations

import glob
import math
import os
import time

from tqdm.auto import tqdm  # widgets in a notebook, text on a terminal

from .. import serialization
from .._display import progress_disabled, text_bars_in_notebook
from ..autograd import no_grad
from ..distributed.training import is_main_process, sum_over_ranks, unwrap
from ..nn import functional as F
from ..nn.utils import clip_grad_norm_
from ..optim.lr_scheduler import CyclicLR, OneCycleLR, ReduceLROnPlateau
from ..random import get_rng_state, set_rng_state
from ..static.training import compiled_step

PER_BATCH_SCHEDULERS = (OneCycleLR, CyclicLR)


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite."""


def evaluate(model, loader, loss_fn=F.cross_entropy) -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` over ``loader``, in eval mode and without a graph."""
    was_training = model.training
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    with no_grad():
        for inputs, targets in loader:
            logits = model(inputs)
            right, counted = correct_and_count(logits, targets)
            total_loss += loss_fn(logits, targets).item() * counted
            correct, count = correct + right, count + counted
    model.train(was_training)
    return total_loss / max(count, 1), correct / max(count, 1)


def correct_and_count(logits, targets) -> tuple[int, int]:
    """(right predictions, targets counted) of a batch: one target per sample for a classifier
    ((N, C) logits), one per position for a language model ((N, T, C) logits, (N, T)
    targets). Targets below 0 are padding (``ignore_index=-1``) and do not count, as the
    loss skips them; so a batch's mean loss times its count is its summed loss."""
    predictions = logits.array.argmax(-1).reshape(targets.shape)
    counted = targets.array >= 0
    return int((predictions == targets.array)[counted].sum()), int(counted.sum())


class Trainer:
    """Fits a classifier. ``scheduler_interval`` is 'batch' or 'epoch' (by default 'batch' for
    OneCycleLR and CyclicLR, 'epoch' otherwise); ``out_dir`` enables a checkpoint per epoch,
    of which the newest ``keep`` are kept; ``progress`` None shows bars on a terminal and in
    a notebook (widgets there, through ``tqdm.auto``), True/False force them;
    ``log`` receives a one-line summary per epoch (``tqdm.write`` keeps the lines whole
    while a progress bar is on the terminal; ``print`` would glue them to the bar);
    ``writer`` (a SummaryWriter) receives each epoch's losses, accuracies and lr.
    ``clip_grad_norm`` clips the gradients' total norm before each step; ``epoch_end`` is
    called with the trainer and the epoch's record after it is logged, before the checkpoint.
    Language models train here too: (N, T, C) logits against (N, T) targets, padding -1."""

    def __init__(self, model, optimizer, loss_fn=F.cross_entropy, scheduler=None,
                 scheduler_interval=None, out_dir=None, keep: int = 3, progress=None, log=None,
                 metadata=None, compile: bool = False, writer=None,  # noqa: A002
                 clip_grad_norm: float | None = None, epoch_end=None):
        self.model, self.optimizer, self.loss_fn = model, optimizer, loss_fn
        self.writer = writer  # a SummaryWriter: each epoch's record is logged to it
        if compile and clip_grad_norm is not None:
            raise ValueError("clip_grad_norm is not part of a compiled step; train without "
                             "compile to clip gradients")
        self.clip_grad_norm = clip_grad_norm  # rescale the gradients to this norm at most
        self.epoch_end = epoch_end  # epoch_end(trainer, record), e.g. to print samples
        # compile=True: each batch's forward, backward and update is one replayed static graph.
        self._compiled = compiled_step(model, optimizer, loss_fn) if compile else None
        self.metadata = metadata or {}  # saved with each checkpoint (e.g. the run's config)
        self.scheduler = scheduler
        if scheduler_interval is None:
            scheduler_interval = "batch" if isinstance(scheduler, PER_BATCH_SCHEDULERS) else "epoch"
        if scheduler_interval not in ("batch", "epoch"):
            raise ValueError(f"scheduler_interval must be 'batch' or 'epoch'; got "
                             f"{scheduler_interval!r}")
        self.scheduler_interval = scheduler_interval
        self.out_dir, self.keep, self.progress, self.log = out_dir, keep, progress, log
        self.epoch, self.history = 0, []
        # (epoch, path) of the newest complete checkpoint of this run, or None
        self.last_checkpoint = None

    # ------------------------------------------------------------------ the loop
    def fit(self, train_loader, epochs: int, val_loader=None) -> list[dict]:
        """Train until ``epochs`` epochs are done in total (a resumed run continues)."""
        # one process draws the bars; None: on a terminal or in a notebook, not in a log file
        disable = progress_disabled(self.progress) if is_main_process() else True
        epoch_bar = tqdm(range(self.epoch + 1, epochs + 1), desc="epochs", unit="epoch",
                         disable=disable, initial=self.epoch, total=epochs)
        for epoch in epoch_bar:
            start = time.perf_counter()
            lr = self.optimizer.param_groups[0]["lr"]
            if hasattr(getattr(train_loader, "sampler", None), "set_epoch"):
                train_loader.sampler.set_epoch(epoch)  # a DistributedSampler's shuffle
            train_loss, train_accuracy = self._train_epoch(train_loader, epoch, disable)
            record = {"epoch": epoch, "train_loss": train_loss, "train_accuracy": train_accuracy,
                      "val_loss": None, "val_accuracy": None, "lr": lr}
            if val_loader is not None:
                record["val_loss"], record["val_accuracy"] = evaluate(self.model, val_loader,
                                                                      self.loss_fn)
            self._epoch_scheduler_step(record)
            record["seconds"] = time.perf_counter() - start
            self.history.append(record)
            self.epoch = epoch
            epoch_bar.set_postfix(loss=f"{train_loss:.4f}", val_acc=_percent(record["val_accuracy"]))
            if self.log and is_main_process():
                self.log(_summary(record))
            if self.writer is not None and is_main_process():
                log_epoch(self.writer, record)
            if self.epoch_end is not None and is_main_process():
                self.epoch_end(self, record)
            if self.out_dir and is_main_process():  # one writer in a distributed run
                self.save_checkpoint()
        return self.history

    def _train_epoch(self, loader, epoch, disable):
        self.model.train()
        total_loss, correct, count = 0.0, 0, 0
        # the batch bar sits under the epoch bar: not in a notebook with text bars only
        batches = tqdm(loader, desc=f"epoch {epoch}", unit="batch", leave=False,
                       disable=True if text_bars_in_notebook() else disable)
        for index, (inputs, targets) in enumerate(batches, 1):
            if self._compiled is None:
                logits = self.model(inputs)
                loss = self.loss_fn(logits, targets)
            else:  # the update is part of the compiled step: it has already happened
                logits, loss = self._compiled(inputs, targets)
            value = loss.item()
            if not math.isfinite(value):
                raise TrainingDiverged(
                    f"the loss became {value} at epoch {epoch}, batch {index} of {len(loader)}; "
                    f"stopped {'after' if self._compiled else 'before'} the update, and no "
                    "checkpoint was written for this epoch. "
                    "Try a smaller learning rate or gradient clipping.")
            if self._compiled is None:
                self.optimizer.zero_grad()
                loss.backward()
                if self.clip_grad_norm is not None:
                    clip_grad_norm_(self.model.parameters(), self.clip_grad_norm)
                self.optimizer.step()
            if self.scheduler is not None and self.scheduler_interval == "batch":
                self.scheduler.step()
            right, counted = correct_and_count(logits, targets)
            total_loss += value * counted
            correct, count = correct + right, count + counted
            if index % 20 == 0:
                batches.set_postfix(loss=f"{total_loss / count:.4f}",
                                    acc=_percent(correct / count),
                                    lr=f"{self.optimizer.param_groups[0]['lr']:.2e}")
        total_loss, correct, count = sum_over_ranks(total_loss, correct, count)  # all ranks'
        return total_loss / max(count, 1), correct / max(count, 1)

    def _epoch_scheduler_step(self, record):
        if self.scheduler is None or self.scheduler_interval != "epoch":
            return
        if isinstance(self.scheduler, ReduceLROnPlateau):
            metric = record["val_loss"] if record["val_loss"] is not None else record["train_loss"]
            self.scheduler.step(metric)
        else:
            self.scheduler.step()

    # ------------------------------------------------------------------ checkpoints
    def state_dict(self) -> dict:
        return {"model": unwrap(self.model).state_dict(),  # the plain model, also under DDP
                "optimizer": self.optimizer.state_dict(),
                "scheduler": None if self.scheduler is None else self.scheduler.state_dict(),
                "rng": get_rng_state(), "epoch": self.epoch, "history": self.history,
                "metadata": self.metadata}

    def save_checkpoint(self, path=None) -> str:
        """Write a checkpoint atomically (default: ``out_dir/checkpoint-epochNNN.mg``) and
        delete all but the newest ``keep`` in that folder."""
        if path is None:
            os.makedirs(self.out_dir, exist_ok=True)
            path = os.path.join(self.out_dir, f"checkpoint-epoch{self.epoch:03d}.mg")
        serialization.save(self.state_dict(), path)
        self.last_checkpoint = (self.epoch, path)
        if self.out_dir and self.keep:
            for old in checkpoints_in(self.out_dir)[:-self.keep]:
                os.unlink(old)
        return path

    def resume(self, path) -> None:
        """Restore everything from a checkpoint; ``fit`` then continues after its epoch."""
        state = serialization.load(path)
        missing = {"model", "optimizer", "scheduler", "rng", "epoch", "history"} - set(state)
        if missing:
            raise ValueError(f"{path} is not a training checkpoint: missing {sorted(missing)}")
        if (state["scheduler"] is None) != (self.scheduler is None):
            raise ValueError(f"{path} was saved {'without' if state['scheduler'] is None else 'with'} "
                             "a scheduler; resume with the same configuration")
        unwrap(self.model).load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        set_rng_state(state["rng"])
        self.epoch, self.history = state["epoch"], list(state["history"])
        self.last_checkpoint = (self.epoch, path)


def open_writer(log_dir):
    """A SummaryWriter on ``log_dir`` for the main process, else None (one writer per run)."""
    if not log_dir or not is_main_process():
        return None
    from ..utils.tensorboard import SummaryWriter  # only here: it needs an optional extra
    return SummaryWriter(log_dir)


def log_epoch(writer, record):
    """One epoch's record as TensorBoard scalars, at step = the epoch: Loss/train,
    Accuracy/train, Loss/val and Accuracy/val (with a validation split) and lr (the rate the
    epoch started with); flushed, so TensorBoard shows the epoch while the next one runs."""
    epoch = record["epoch"]
    for split in ("train", "val"):
        if record[f"{split}_loss"] is not None:
            writer.add_scalar(f"Loss/{split}", record[f"{split}_loss"], epoch)
            writer.add_scalar(f"Accuracy/{split}", record[f"{split}_accuracy"], epoch)
    writer.add_scalar("lr", record["lr"], epoch)
    writer.flush()


def checkpoints_in(directory) -> list[str]:
    """Checkpoint files in ``directory``, oldest first."""
    return sorted(glob.glob(os.path.join(directory, "checkpoint-epoch*.mg")))


def _percent(value):
    return "-" if value is None else f"{100 * value:.2f}%"


def _summary(record) -> str:
    val = (f", val loss {record['val_loss']:.4f}, val acc {_percent(record['val_accuracy'])}"
           if record["val_loss"] is not None else "")
    return (f"epoch {record['epoch']}: train loss {record['train_loss']:.4f}, train acc "
            f"{_percent(record['train_accuracy'])}{val}, lr {record['lr']:.3g}, "
            f"{record['seconds']:.1f}s")

