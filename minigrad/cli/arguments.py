"""What the training subcommands share: the run's defaults, validated argument types, the
data options, and how progress lines are written."""
import argparse
import math

from .. import models
from ..recipes.choices import DATASETS
from ..recipes.config import TRAIN_DEFAULTS



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


def text_file_or(names):
    """An argparse type: one of ``names``, or the path of a .txt file (a text data set)."""
    def dataset(text):
        if text in names or text.endswith(".txt"):
            return text
        raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from "
                                         f"{', '.join(names)}, or give a FILE.txt)")
    return dataset


def add_data_arguments(parser, for_resume: bool, datasets=tuple(DATASETS), text_files=False):
    """The options every training subcommand shares; ``text_files``: --dataset may also be
    the path of a .txt file, and --model a language model."""
    later = "; when resuming, the run's own" if for_resume else ""
    names = list(dict.fromkeys([*models.MODELS, *(models.char.MODELS if text_files else ())]))
    parser.add_argument("--model", choices=names, help="network" + _default("model")
                        + ("; language models on text data sets (default there: "
                           "transformer)" if text_files else ""))
    parser.add_argument("--batch-size", type=positive_int,
                        help="batch size" + _default("batch_size"))
    parser.add_argument("--seed", type=non_negative_int,
                        help="random seed for the initial weights and the shuffling"
                             + _default("seed"))
    if text_files:
        parser.add_argument("--dataset", type=text_file_or(list(datasets)),
                            metavar="{" + ",".join(datasets) + ",FILE.txt}",
                            help="data set" + _default("dataset") + "; names, shakespeare or "
                                 "a .txt file train a character-level language model")
    else:
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


def _write(line):
    # Through tqdm, so that a progress bar on the terminal is cleared first and lines stay whole.
    from tqdm import tqdm
    tqdm.write(line)
