"""A training run's configuration, decided in one place: the defaults, what the user asked
for, and, when resuming, what the checkpoint says and what conflicts with it. The command line
hands over what was given (None: not given) and gets back the configuration and the folder;
the recipes then only carry it out.

Resuming continues the run saved in the checkpoint: its own options, with ``--epochs`` changed
only when its schedule does not depend on the run's length. An option that differs from the
run's is refused by name, before anything is written: silently ignoring it would train
something other than what was asked for, and overwrite the run's files. So is a change in the
number of processes (the checkpoint records its run's ``world_size``): two processes at batch
128 step on a global batch of 256, one process on 128, a different run.
"""
from __future__ import annotations

import os

from ..serialization import load
from . import language_models
from .choices import (DEFAULT_VAL_SIZE, LENGTH_DEPENDENT_SCHEDULERS, OPTIMIZERS, SCHEDULERS,
                      check_schedule_options)
from .toy_nets import DATASETS as TOY_DATASETS, DEFAULT_HIDDEN, RECIPES
from .trainer import checkpoints_in

# The options of a training run; None in the parser means "not given" (which matters when
# resuming: only options given on the command line can conflict with the checkpoint's run).
TRAIN_DEFAULTS = {"model": "mlp", "optimizer": "adam", "lr": None, "scheduler": "cosine",
                  "epochs": 10, "batch_size": 128, "seed": 0, "dataset": "mnist",
                  "subset": None, "val_size": DEFAULT_VAL_SIZE, "milestones": None,
                  "gamma": None}


class ResumeConflict(ValueError):
    """An option given with --resume that the saved run cannot honour (a usage error)."""


def configure_run(requested: dict, resume=None, out=None, data_root=None,
                  world_size: int = 1) -> tuple[dict, str]:
    """(config, output folder) of a ``minigrad train`` run on a data set by name.

    ``requested`` maps each key of TRAIN_DEFAULTS to the user's value or None; ``world_size``
    is the number of processes this run would train on. A new run fills in the defaults and
    gets a fresh folder (``runs/MODEL-OPTIMIZER``, ``-2``, ...); a resumed run takes the
    checkpoint's configuration and folder (``resume_config`` says what may change)."""
    if resume:
        state = load(resume)
        saved = state.get("metadata", {}).get("config") if isinstance(state, dict) else None
        if not saved:
            raise ValueError(f"{resume} holds no run configuration to resume (it was not "
                             "written by minigrad train)")
        config = resume_config(saved, {**requested, "data_root": data_root}, resume,
                               state.get("epoch", 0), world_size)
        out = out or os.path.dirname(resume) or "."
    else:
        config = {key: TRAIN_DEFAULTS[key] if value is None else value
                  for key, value in requested.items()}
        config["data_root"] = data_root
        out = out or _fresh_folder(os.path.join("runs", f"{config['model']}-{config['optimizer']}"))
        if checkpoints_in(out):
            # Their epoch numbers would mix with the new run's (and rotation would delete
            # the new ones), so a new run needs a folder of its own.
            raise ValueError(f"{out} already holds checkpoints of another run; continue it with "
                             f"--resume {checkpoints_in(out)[-1]}, or give a new --out folder")
    if os.path.exists(out) and not os.path.isdir(out):
        raise ValueError(f"--out {out} is a file; give a folder for the run's files")
    check_schedule_options(config["scheduler"], config.get("milestones"), config.get("gamma"))
    return config, out


def resume_config(saved: dict, requested: dict, checkpoint, done_epochs: int,
                  world_size: int = 1) -> dict:
    """The configuration for resuming a run: the checkpoint's own, with ``epochs`` changed
    when asked and possible. ``requested`` maps option names to what the user gave (None:
    not given). Options that differ from the run's are refused, all named at once: silently
    ignoring them would train something other than what was asked for. ``world_size`` (the
    processes the resumed run would use) must be the run's own."""
    # Runs saved before the validation split, or before --milestones/--gamma, had none.
    saved = {"val_size": 0, "milestones": None, "gamma": None, **saved}
    _check_same_world(saved, world_size, checkpoint)
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
        raise ResumeConflict(f"{checkpoint} belongs to a run with other options: "
                         f"{'; '.join(conflicts)}. Leave them out to continue that run, or "
                         "start a new run without --resume to change them")
    config = {**saved, "data_root": requested.get("data_root")}
    epochs = requested.get("epochs")
    if epochs is not None and epochs != saved["epochs"]:
        if saved["scheduler"] in LENGTH_DEPENDENT_SCHEDULERS:
            free = ", ".join(s for s in SCHEDULERS if s not in LENGTH_DEPENDENT_SCHEDULERS)
            raise ResumeConflict(
                f"--epochs {epochs}: this run's {saved['scheduler']} schedule was sized for "
                f"{saved['epochs']} epochs and has already shaped its learning rates for that "
                "length, so it cannot be extended or shortened; start a new run with "
                f"--epochs {epochs}, or use a schedule that does not depend on the run's "
                f"length ({free})")
        config["epochs"] = epochs
    if config["epochs"] < done_epochs:
        raise ResumeConflict(f"--epochs {config['epochs']}: {checkpoint} has already trained "
                         f"{done_epochs} epochs")
    return config


def _processes(count: int) -> str:
    return "one process" if count == 1 else f"{count} processes"


def _check_same_world(saved: dict, world_size: int, checkpoint) -> None:
    """Refuse to resume on another number of processes than the run's (runs saved before the
    world size was recorded are not checked)."""
    saved_world = saved.get("world_size")
    if saved_world is None or saved_world == world_size:
        return
    batch = saved["batch_size"]
    how = (f"resume it with mpiexec -n {saved_world} minigrad train --resume {checkpoint}"
           if saved_world > 1 else f"resume it without mpiexec")
    raise ResumeConflict(
        f"{checkpoint} belongs to a run on {_processes(saved_world)} (global batch "
        f"{saved_world * batch} = {saved_world} x {batch}); resuming it on "
        f"{_processes(world_size)} would train at global batch {world_size * batch} and "
        f"overwrite that run's files. To continue that run, {how}; to train on "
        f"{_processes(world_size)}, start a new run without --resume")


def configure_toy_run(requested: dict, out=None) -> tuple[dict, str]:
    """(config, output folder) of a toy run (``--dataset moons`` ...). ``requested`` maps option
    names to the user's values, None (or absent) when not given: those take the toy defaults.
    Options that belong to MNIST runs are refused by name rather than ignored."""
    def given(name):
        return requested.get(name)

    dataset = requested["dataset"]
    if dataset not in RECIPES:
        raise ValueError(f"unknown toy data set {dataset!r}; choose from "
                         f"{', '.join(TOY_DATASETS)}")
    if given("resume"):
        raise ValueError("--resume continues MNIST runs; a toy run takes seconds, start it again")
    if given("model") not in (None, "mlp"):
        raise ValueError(f"toy data sets train an MLP sized by --hidden; --model "
                         f"{given('model')} is for MNIST")
    if given("subset"):
        raise ValueError("--subset picks MNIST images; toy data sets take --samples N")
    if given("compile"):
        raise ValueError("--compile is for MNIST runs: a toy net's step is too small for a "
                         "static graph to pay")
    defaults = {"optimizer": "adam", "scheduler": "cosine", "epochs": RECIPES[dataset][1],
                "batch_size": 128, "seed": 0, "hidden": DEFAULT_HIDDEN}
    config = {"dataset": dataset, "lr": given("lr"), "samples": given("samples"),
              "noise": given("noise"), "val_size": given("val_size"),
              "milestones": given("milestones"), "gamma": given("gamma"),
              **{key: default if given(key) is None else given(key)
                 for key, default in defaults.items()}}
    config["hidden"] = list(config["hidden"])
    check_schedule_options(config["scheduler"], config["milestones"], config["gamma"])
    return config, out or os.path.join("runs", f"toy-{dataset}")


def refuse_toy_options(requested: dict) -> None:
    """A run on MNIST given options that only toy runs read: silently training the default
    network instead would mislead."""
    toy_only = [f"--{name}" for name in ("hidden", "samples", "noise")
                if requested.get(name) is not None] + (["--animate"] if requested.get("animate")
                                                       else [])
    if toy_only:
        raise ValueError(f"{', '.join(toy_only)} apply to the toy data sets (--dataset "
                         f"{'|'.join(TOY_DATASETS)}); MNIST's networks are chosen with --model")


def dataset_of_checkpoint(path):
    """The data set a checkpoint's run trained on, as its configuration records it (None
    for a file that records none)."""
    state = load(path)
    config = state.get("metadata", {}).get("config", {}) if isinstance(state, dict) else {}
    return config.get("dataset") if isinstance(config, dict) else None


def configure_language_model_run(requested: dict, resume=None, out=None,
                                 data_root=None) -> tuple[dict, str]:
    """(config, output folder) of a language model's run on a text data set (names,
    shakespeare or a file). A new run takes the language models' defaults (AdamW, a warm-up
    then cosine, a learning rate per model) where nothing was given; the splits are the data
    set's own, so the MNIST-only options are refused by name."""
    refuse_toy_options(requested)
    for name in ("subset", "val_size", "compile"):
        if requested.get(name):
            raise ValueError(f"--{name.replace('_', '-')} is for MNIST runs: the text data sets "
                             "have fixed train/validation/test splits and train eagerly")
    model = requested.get("model")
    if model is not None and model not in language_models.char.MODELS:
        raise ValueError(f"--model {model} is an MNIST network; the language models are "
                         f"{', '.join(language_models.char.MODELS)}")
    requested = {key: requested.get(key) for key in (*TRAIN_DEFAULTS, "milestones", "gamma")}
    if not resume:
        requested.update({key: value for key, value in language_models.DEFAULTS.items()
                          if requested.get(key) is None})
        requested.update(subset=0, val_size=0)  # not used: the splits are the data set's
        if requested["lr"] is None:
            requested["lr"] = language_models.LEARNING_RATES[requested["model"]]
    return configure_run(requested, resume, out, data_root)


def _fresh_folder(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``, ... : the first that holds no run's checkpoints, so
    that running the same command twice starts a second run instead of failing."""
    folder, number = base, 2
    while checkpoints_in(folder):
        folder, number = f"{base}-{number}", number + 1
    return folder
