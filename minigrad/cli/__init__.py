"""The minigrad command: train networks on MNIST, compare optimizers, check gradients,
evaluate checkpoints.

examples:
  minigrad train                              # the default MLP with Adam on MNIST
  minigrad train --model cnn --epochs 5 --scheduler onecycle --lr 3e-3
  minigrad train --resume runs/mlp-adam/checkpoint-epoch004.mg
  minigrad compare --optimizers sgd,momentum,adam --epochs 3
  minigrad gradcheck                          # every built-in layer and loss
  minigrad gradcheck my_layer.py:MyFunction --shape 3,4
  minigrad exercises start sigmoid            # write a backward, then: exercises check sigmoid
  minigrad evaluate --checkpoint runs/mlp-adam/checkpoint-epoch010.mg
  minigrad train --dataset moons --hidden 16,16 --animate   # a toy net you can see
  minigrad train --dataset names --model transformer        # a character-level GPT
  minigrad sample --checkpoint runs/transformer-adamw/checkpoint-epoch010.mg -n 20
  minigrad run pytorch_script.py --epochs 1   # a PyTorch program, torch -> minigrad
  mpiexec -n 2 minigrad train --epochs 2      # data-parallel over MPI ([mpi] extra)

Each subcommand is one entry of SUBCOMMANDS (below): its help line, a function that adds its
options, and a function that runs it. Each lives in its own module of this package
(train.py, compare.py, gradcheck.py, exercises.py, evaluate.py, sample.py; ``run`` is
minigrad/compat/run.py);
arguments.py holds what the training subcommands share. This package only parses and
reports: what a command does is a recipe of ``minigrad.recipes``.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from .. import __version__
from ..compat import run as compat_run
from ..data.download import DownloadError
from ..data.idx import IDXError
from ..distributed import DistributedUnavailable
from ..distributed.training import abort_on_error, is_main_process
from ..serialization import CheckpointError
from ..recipes.run import RunInterrupted
from ..recipes.trainer import TrainingDiverged
from .compare import add_compare_arguments, run_compare
from .evaluate import add_evaluate_arguments, run_evaluate
from .exercises import HELP as EXERCISES_HELP
from .exercises import add_exercises_arguments, run_exercises
from .gradcheck import add_gradcheck_arguments, run_gradcheck
from .sample import add_sample_arguments, run_sample
from .train import add_train_arguments, run_train

# Errors that mean "the input was wrong", shown as one line (exit 1) instead of a traceback.
EXPECTED_ERRORS = (OSError, CheckpointError, IDXError, DownloadError, TrainingDiverged,
                   ValueError, KeyError, DistributedUnavailable)


# ---------------------------------------------------------------------- the command
# name -> (one-line help, add_arguments(parser), run(args) -> exit code)
SUBCOMMANDS = {
    "train": ("train a network and save checkpoints", add_train_arguments, run_train),
    "compare": ("train once per optimizer from the same start", add_compare_arguments,
                run_compare),
    "gradcheck": ("check backward against finite differences: the built-in layers, or your own",
                  add_gradcheck_arguments, run_gradcheck),
    "exercises": (EXERCISES_HELP, add_exercises_arguments, run_exercises),
    "evaluate": ("test accuracy of a saved checkpoint", add_evaluate_arguments, run_evaluate),
    "sample": ("new names or text from a language model's checkpoint", add_sample_arguments,
               run_sample),
    "run": (compat_run.HELP, compat_run.add_arguments, compat_run.command),
}


class ShortErrorParser(argparse.ArgumentParser):
    """argparse, but a usage error is the error line and a one-line pointer to --help, not
    the whole usage block (a train command's is a dozen lines). Subcommands inherit it."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n"
                     f"usage: {self.prog} [options]; '{self.prog} --help' lists them\n")


def build_parser() -> argparse.ArgumentParser:
    description, _, epilog = __doc__.partition("\n\n")
    parser = ShortErrorParser(prog="minigrad", description=description,
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
    args, unknown = build_parser().parse_known_args(argv)
    if unknown:  # the subcommand's error (argparse would report it as the top command's)
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        # Overflow on the way to a NaN is reported by the training loop itself, with the
        # epoch and batch; NumPy's warnings pointing into minigrad's files would only confuse.
        with np.errstate(all="ignore"):
            return args.run(args)
    except RunInterrupted as stop:
        if not is_main_process():  # rank 0 alone says what was saved
            return 130
        if stop.checkpoint:
            hint = (f"epochs 1-{stop.epoch} are saved; continue with:\n  minigrad train "
                    f"--resume {stop.checkpoint}")
        else:
            hint = "no epoch was finished, so there is nothing to resume"
        args.parser.exit(130, f"\ninterrupted during epoch {stop.epoch + 1}: {hint}\n")
    except KeyboardInterrupt:
        args.parser.exit(130, "\ninterrupted\n")
    except EXPECTED_ERRORS as error:
        if isinstance(error, OSError) and error.filename and error.strerror:
            error = f"{error.filename}: {error.strerror}"  # the path first, without "[Errno 21]"
        message = " ".join(str(error).split())  # one line, however the error was worded
        abort_on_error(f"minigrad {args.command}: error: {message}")  # ends all ranks under mpiexec
        args.parser.exit(1, f"minigrad {args.command}: error: {message}\n")


if __name__ == "__main__":
    sys.exit(main())
