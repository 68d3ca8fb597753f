"""The minigrad command: train networks on MNIST, compare optimizers, check gradients,
evaluate checkpoints.

examples:
  minigrad train                              # the default MLP with Adam on MNIST
  minigrad train --model cnn --epochs 5 --scheduler onecycle --lr 3e-3
  minigrad train --resume runs/mlp-adam/checkpoint-epoch004.mg
  minigrad compare --optimizers sgd,momentum,adam --epochs 3
  minigrad gradcheck                          # every built-in layer and loss
  minigrad gradcheck my_layer.py:MyFunction --shape 3,4
  minigrad evaluate --checkpoint runs/mlp-adam/checkpoint-epoch010.mg
  minigrad train --dataset moons --hidden 16,16 --animate   # a toy net you can see
  minigrad run pytorch_script.py --epochs 1   # a PyTorch program, torch -> minigrad
  mpiexec -n 2 minigrad train --epochs 2      # data-parallel over MPI ([mpi] extra)

Each subcommand is one entry of SUBCOMMANDS (at the end of this file): its help line, a
function that adds its options, and a function that runs it.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
import traceback

import numpy as np

from . import __version__, compare_options, experiments, models, toy_training
from .compat import run as compat_run
from .data.download import DownloadError
from .data.idx import IDXError
from .distributed import DistributedUnavailable
from .distributed.training import (abort_on_error, describe_world, init_from_environment,
                                   is_main_process)
from .serialization import CheckpointError
from .train import TrainingDiverged, checkpoints_in

# Errors that mean "the input was wrong", shown as one line (exit 1) instead of a traceback.
EXPECTED_ERRORS = (OSError, CheckpointError, IDXError, DownloadError, TrainingDiverged,
                   ValueError, KeyError, DistributedUnavailable)

# The options of a training run; None in the parser means "not given" (which matters when
# resuming: only options given on the command line can conflict with the checkpoint's run).
TRAIN_DEFAULTS = {"model": "mlp", "optimizer": "adam", "lr": None, "scheduler": "cosine",
                  "epochs": 10, "batch_size": 128, "seed": 0, "dataset": "mnist",
                  "subset": None, "val_size": experiments.DEFAULT_VAL_SIZE}


# ---------------------------------------------------------------------- argument types
def _number(parse, condition, wanted):
    def convert(text):
        try:
            value = parse(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {text!r}") from None
        if not condition(value):
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {text}")
        return value
    convert.__name__ = wanted  # argparse names the type in its messages
    return convert


positive_int = _number(int, lambda v: v > 0, "a positive integer")
non_negative_int = _number(int, lambda v: v >= 0, "a non-negative integer")
positive_float = _number(float, lambda v: math.isfinite(v) and v > 0, "a finite positive number")


def _default(key):
    value = TRAIN_DEFAULTS[key]
    return f" (default: {value})" if value is not None else ""


def add_data_arguments(parser, for_resume: bool, datasets=tuple(experiments.DATASETS)):
    """The options every training subcommand shares."""
    later = "; when resuming, the run's own" if for_resume else ""
    parser.add_argument("--model", choices=list(models.MODELS), help="network" + _default("model"))
    parser.add_argument("--batch-size", type=positive_int,
                        help="batch size" + _default("batch_size"))
    parser.add_argument("--seed", type=non_negative_int,
                        help="random seed for the initial weights and the shuffling"
                             + _default("seed"))
    parser.add_argument("--dataset", choices=list(datasets),
                        help="data set" + _default("dataset"))
    parser.add_argument("--data-root", default=None,
                        help="data folder (default: $MINIGRAD_DATA, else ~/.cache/minigrad)")
    parser.add_argument("--subset", type=positive_int,
                        help="train on the first N training images only, for quick runs (the "
                             "validation and test sets stay whole)")
    parser.add_argument("--val-size", type=non_negative_int,
                        help="hold out the last N training images for validation, which "
                             "measures every epoch; 0 turns it off. The test set is evaluated "
                             "once, at the end" + _default("val_size") + later)
    parser.add_argument("--quiet", action="store_true", help="no progress bars or epoch lines")


# ---------------------------------------------------------------------- train
def add_train_arguments(parser):
    add_data_arguments(parser, for_resume=True,
                       datasets=[*experiments.DATASETS, *toy_training.DATASETS])
    parser.add_argument("--epochs", type=positive_int,
                        help="number of epochs" + _default("epochs") + "; when resuming, the "
                             "run's own (a run can be extended only if its schedule does not "
                             "depend on its length)")
    parser.add_argument("--optimizer", choices=list(experiments.OPTIMIZERS),
                        help="optimizer" + _default("optimizer"))
    parser.add_argument("--lr", type=positive_float,
                        help="learning rate (default: the optimizer's usual value)")
    parser.add_argument("--scheduler", choices=experiments.SCHEDULERS,
                        help="learning-rate schedule" + _default("scheduler"))
    parser.add_argument("--out", help="output folder (default: runs/MODEL-OPTIMIZER; when "
                                      "resuming, the checkpoint's folder)")
    parser.add_argument("--resume", metavar="CHECKPOINT",
                        help="continue the run saved in this checkpoint")
    parser.add_argument("--compile", action="store_true",
                        help="replay each training step as a static graph (minigrad.compile)")
    toy_training.add_arguments(parser)  # --hidden, --samples, --noise, --animate


def run_train(args) -> int:
    init_from_environment()  # under mpiexec -n K: data-parallel over K processes
    if args.dataset in toy_training.DATASETS:
        return toy_training.run(args)
    requested = {key: getattr(args, key) for key in TRAIN_DEFAULTS}
    if args.resume:
        from .serialization import load
        state = load(args.resume)
        saved = state.get("metadata", {}).get("config") if isinstance(state, dict) else None
        if not saved:
            raise ValueError(f"{args.resume} holds no run configuration to resume (it was not "
                             "written by minigrad train)")
        try:
            config = experiments.resume_config(saved, {**requested, "data_root": args.data_root},
                                               args.resume, state.get("epoch", 0))
        except ValueError as error:
            args.parser.error(str(error))
        out = args.out or os.path.dirname(args.resume) or "."
    else:
        config = {key: TRAIN_DEFAULTS[key] if value is None else value
                  for key, value in requested.items()}
        config["data_root"] = args.data_root
        out = args.out or os.path.join("runs", f"{config['model']}-{config['optimizer']}")
        if checkpoints_in(out):
            # Their epoch numbers would mix with the new run's (and rotation would delete
            # the new ones), so a new run needs a folder of its own.
            raise ValueError(f"{out} already holds checkpoints of another run; continue it with "
                             f"--resume {checkpoints_in(out)[-1]}, or give a new --out folder")
    config["compile"] = args.compile  # how to run, not what: free to change on resume
    log = None if args.quiet else _write
    start = time.perf_counter()
    trainer, loss, accuracy = experiments.train_run(config, out_dir=out, resume=args.resume,
                                                    progress=False if args.quiet else None,
                                                    log=log)
    seconds = time.perf_counter() - start
    if not is_main_process():  # rank 0 alone reports
        return 0
    last = trainer.history[-1] if trainer.history else {}
    val = (f"; validation accuracy {100 * last['val_accuracy']:.2f}% on {config['val_size']} "
           "held-out training images" if last.get("val_accuracy") is not None else "")
    subset = f", trained on the first {config['subset']} images" if config.get("subset") else ""
    print(f"{config['model']} + {config['optimizer']} on {config['dataset']}: test accuracy "
          f"{100 * accuracy:.2f}%, test loss {loss:.4f} (the whole test set, evaluated once at "
          f"the end){val}; {trainer.epoch} epoch{'' if trainer.epoch == 1 else 's'}{subset}, "
          f"{seconds:.1f}s{describe_world(config['batch_size'])}")
    written = [name for name in ("history.json", "history.csv", "results.json", "curves.png")
               if os.path.exists(os.path.join(out, name))]
    if trainer.last_checkpoint and (os.path.abspath(os.path.dirname(trainer.last_checkpoint[1]))
                                    == os.path.abspath(out)):
        written.append(os.path.basename(trainer.last_checkpoint[1]))
    print(f"wrote {out}/: {', '.join(written)}"
          + ("" if "curves.png" in written else " (install matplotlib for curves.png)"))
    _warn_if_chance(config["dataset"], accuracy)
    return 0


def _warn_if_chance(dataset, accuracy):
    classes = getattr(experiments.DATASETS[dataset], "classes", None)
    if classes and accuracy < 1.5 / len(classes):
        print(f"warning: the network learned nothing: {100 * accuracy:.2f}% is chance level for "
              f"{len(classes)} classes. Try a smaller learning rate (--lr), another optimizer, "
              "or see 'When training goes wrong' in the README", file=sys.stderr)


def _write(line):
    # Through tqdm, so that a progress bar on the terminal is cleared first and lines stay whole.
    from tqdm import tqdm
    tqdm.write(line)


# ---------------------------------------------------------------------- compare
def add_compare_arguments(parser):
    add_data_arguments(parser, for_resume=False)
    parser.add_argument("--epochs", type=positive_int, default=5,
                        help="number of epochs (default: 5)")
    parser.add_argument("--optimizers", default="sgd,momentum,nesterov,adagrad,rmsprop,adam",
                        help="comma-separated, from: " + ", ".join(experiments.OPTIMIZERS)
                             + " (default: %(default)s)")
    parser.add_argument("--out", default="runs/compare",
                        help="output folder (default: %(default)s)")
    compare_options.add_arguments(parser)  # --depth, --hidden, --width, --lr, --scheduler, ...


def run_compare(args) -> int:
    names = [n.strip() for n in args.optimizers.split(",") if n.strip()]
    unknown = [n for n in names if n not in experiments.OPTIMIZERS]
    if unknown or not names:
        args.parser.error(f"unknown optimizer(s) {', '.join(unknown) or '(none given)'}; "
                          f"choose from {', '.join(experiments.OPTIMIZERS)}")
    config = {key: TRAIN_DEFAULTS[key] if getattr(args, key, None) is None else getattr(args, key)
              for key in ("model", "batch_size", "seed", "dataset", "subset", "val_size")}
    config.update(epochs=args.epochs, data_root=args.data_root)
    if compare_options.wanted(args):  # across depths, per-optimizer rates, a schedule
        return compare_options.run(args, config)
    _, table = experiments.compare(names, config, args.out, progress=False if args.quiet else None,
                                   log=None if args.quiet else _write)
    print(table)
    drawn = os.path.exists(os.path.join(args.out, "comparison.png"))
    print(f"wrote {args.out}/: comparison.json, comparison.md"
          + (", comparison.png" if drawn else " (install matplotlib for comparison.png)"))
    return 0


# ---------------------------------------------------------------------- gradcheck
def add_gradcheck_arguments(parser):
    parser.add_argument("target", nargs="?", metavar="FILE.py:NAME",
                        help="check your own Function subclass, Module or function instead of "
                             "the built-in layers")
    parser.add_argument("--shape", action="append", metavar="N,M,...",
                        help="shape of a random float64 input to TARGET; repeat it for several "
                             "inputs (default: one input of shape 3,4)")
    parser.add_argument("--seed", type=non_negative_int, default=0,
                        help="seed of the random inputs (default: 0)")


def run_gradcheck(args) -> int:
    from . import layer_checks
    if args.target is None:
        if args.shape:
            args.parser.error("--shape needs a FILE.py:NAME to check")
        rows = layer_checks.run(seed=args.seed)
        print(f"{'layer / loss':22s} {'relative error':>15s}  result")
        for name, error, passed in rows:
            print(f"{name:22s} {error:15.2e}  {'ok' if passed else 'FAIL'}")
        failed = [name for name, _, passed in rows if not passed]
        print(f"{len(rows) - len(failed)} passed, {len(failed)} failed")
        return 1 if failed else 0
    try:
        shapes = [layer_checks.parse_shape(s) for s in args.shape or ["3,4"]]
    except ValueError as error:
        args.parser.error(f"--shape: {error}")
    path = args.target.rpartition(":")[0]
    try:
        name, target = layer_checks.load_target(args.target)
        error, failure = layer_checks.check_target(name, target, shapes, args.seed)
    except (OSError, ValueError) as problem:
        raise ValueError(str(problem)) from None
    except Exception as problem:  # a mistake in the student's code: say what and where
        raise ValueError(_in_user_code(problem, path)) from None
    shown = " and ".join("x".join(map(str, s)) for s in shapes)
    print(f"{name} on random float64 input{'s' if len(shapes) > 1 else ''} of shape {shown}: "
          f"relative error {error:.2e}, {'ok' if failure is None else 'FAIL'}")
    if failure is not None:
        print(failure)
    return 0 if failure is None else 1


def _in_user_code(problem, path) -> str:
    frames = [f for f in traceback.extract_tb(problem.__traceback__)
              if os.path.abspath(f.filename) == os.path.abspath(path)]
    where = f" ({path}, line {frames[-1].lineno})" if frames else ""
    return f"{type(problem).__name__}: {problem}{where}"


# ---------------------------------------------------------------------- evaluate
def add_evaluate_arguments(parser):
    parser.add_argument("--checkpoint", required=True,
                        help="a checkpoint written by minigrad train")
    parser.add_argument("--data-root", default=None,
                        help="data folder (default: $MINIGRAD_DATA, else ~/.cache/minigrad)")


def run_evaluate(args) -> int:
    from .serialization import load
    from .train import evaluate
    state = load(args.checkpoint)
    config = state.get("metadata", {}).get("config") if isinstance(state, dict) else None
    if not config or "model" not in state:
        raise ValueError(f"{args.checkpoint} is not a training checkpoint: it needs the model's "
                         "state and metadata.config naming the model and data set, as "
                         "minigrad train writes them")
    model = models.build(config["model"])
    model.load_state_dict(state["model"])
    test = experiments.load_split(config.get("dataset", "mnist"), False, args.data_root)
    from .data import DataLoader
    loss, accuracy = evaluate(model, DataLoader(test, 1000))
    epoch = f" (epoch {state['epoch']})" if "epoch" in state else ""
    print(f"{args.checkpoint}: {config['model']} on the {config.get('dataset', 'mnist')} test "
          f"set ({len(test)} images): accuracy {100 * accuracy:.2f}%, loss {loss:.4f}{epoch}")
    return 0


# ---------------------------------------------------------------------- the command
# name -> (one-line help, add_arguments(parser), run(args) -> exit code)
SUBCOMMANDS = {
    "train": ("train a network and save checkpoints", add_train_arguments, run_train),
    "compare": ("train once per optimizer from the same start", add_compare_arguments,
                run_compare),
    "gradcheck": ("check backward against finite differences: the built-in layers, or your own",
                  add_gradcheck_arguments, run_gradcheck),
    "evaluate": ("test accuracy of a saved checkpoint", add_evaluate_arguments, run_evaluate),
    "run": (compat_run.HELP, compat_run.add_arguments, compat_run.command),
}


def build_parser() -> argparse.ArgumentParser:
    description, _, epilog = __doc__.partition("\n\n")
    parser = argparse.ArgumentParser(prog="minigrad", description=description,
                                     epilog=epilog.split("\n\nEach subcommand")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"minigrad {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add_arguments, run) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        add_arguments(sub)
        sub.set_defaults(run=run, parser=sub)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        # Overflow on the way to a NaN is reported by the training loop itself, with the
        # epoch and batch; NumPy's warnings pointing into minigrad's files would only confuse.
        with np.errstate(all="ignore"):
            return args.run(args)
    except experiments.RunInterrupted as stop:
        if stop.checkpoint:
            hint = (f"epochs 1-{stop.epoch} are saved; continue with:\n  minigrad train "
                    f"--resume {stop.checkpoint}")
        else:
            hint = "no epoch was finished, so there is nothing to resume"
        args.parser.exit(130, f"\ninterrupted during epoch {stop.epoch + 1}: {hint}\n")
    except KeyboardInterrupt:
        args.parser.exit(130, "\ninterrupted\n")
    except EXPECTED_ERRORS as error:
        message = " ".join(str(error).split())  # one line, however the error was worded
        abort_on_error(f"minigrad {args.command}: error: {message}")  # ends all ranks under mpiexec
        args.parser.exit(1, f"minigrad {args.command}: error: {message}\n")


if __name__ == "__main__":
    sys.exit(main())
