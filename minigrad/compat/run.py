"""``minigrad run script.py [args...]``: run a PyTorch program on minigrad, unchanged."""
from __future__ import annotations

import argparse
import os
import runpy
import sys
import traceback

from ..data.vision import DatasetNotFoundError
from .importer import torch_as_minigrad


HELP = "run a PyTorch script with torch resolving to minigrad"


def add_arguments(parser) -> None:
    """The ``run`` subcommand's options (the CLI registers it in ``SUBCOMMANDS``)."""
    parser.description = ("Run a Python script in which `import torch`, torch.nn, torch.optim, "
                          "torch.utils.data and torchvision resolve to minigrad.")
    parser.add_argument("script", help="the Python file to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")


def command(args) -> int:
    if os.path.isdir(args.script):
        raise ValueError(f"{args.script} is a directory; give the Python script to run")
    if not os.path.isfile(args.script):
        raise FileNotFoundError(f"{args.script}: no such file")
    return run_script(args.script, args.args)


def run_script(path: str, argv=()) -> int:
    """Run ``path`` as ``__main__`` with ``sys.argv = [path, *argv]``; returns its exit code.
    An exception in the script prints its traceback (from the script's frames on) and gives 1;
    a data set that could not be found or downloaded is not a bug in the script, and prints
    one line: what is missing, why the download failed, where to put the files."""
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [path, *argv]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))  # as `python script.py` does
    try:
        with torch_as_minigrad():
            runpy.run_path(path, run_name="__main__")
        return 0
    except SystemExit as exit:
        code = exit.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        raise
    except DatasetNotFoundError as error:
        print(f"minigrad run: error: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    except BaseException as error:  # the script's own error: show where it happened
        frames = traceback.extract_tb(error.__traceback__)
        start = next((i for i, f in enumerate(frames) if os.path.abspath(f.filename) ==
                      os.path.abspath(path)), 0)
        print("Traceback (most recent call last):\n" + "".join(
            traceback.format_list(frames[start:])) + "".join(
            traceback.format_exception_only(type(error), error)), end="", file=sys.stderr)
        return 1
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
