"""The toy-only options of ``minigrad train`` (--hidden, --samples, --noise, --animate), each
value checked by its argparse type, so that a bad one is a one-line usage error."""
from __future__ import annotations

import argparse
import math

from ..recipes.toy_nets import DATASETS


def parse_hidden(text: str) -> tuple[int, ...]:
    """'16,16' -> (16, 16); '' -> () (a linear classifier)."""
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        sizes = None
    if sizes is None or any(size <= 0 for size in sizes):
        raise argparse.ArgumentTypeError(
            f"expects positive layer widths separated by commas, like 16,16; got {text!r}")
    return sizes


def _count(text) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 4:  # a few points for each split and class
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 4, got {text!r}")
    return value


def _noise(text) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text!r}")
    return value


def add_toy_arguments(parser: argparse.ArgumentParser) -> None:
    """The toy-only options of ``minigrad train``."""
    group = parser.add_argument_group("toy data sets (--dataset " + "|".join(DATASETS) + ")")
    group.add_argument("--hidden", type=parse_hidden, default=None,
                       help="hidden layer widths of the MLP (default: 16,16)")
    group.add_argument("--samples", type=_count, default=None,
                       help="number of points, at least 4 (default: 1000; 1500 for spirals)")
    group.add_argument("--noise", type=_noise, default=None,
                       help="noise of the data set, a finite number >= 0 (default: the "
                            "recipe's)")
    group.add_argument("--animate", action="store_true",
                       help="also write the boundary at several epochs (boundary.gif and "
                            "boundary_frames.png)")
