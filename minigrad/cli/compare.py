"""``minigrad compare``: train once per optimizer from the same start and tabulate."""
import os

from .. import compare_options, experiments
from ..distributed.process_group import launched_world_size
from .arguments import TRAIN_DEFAULTS, _write, add_data_arguments, positive_int


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
    if launched_world_size() > 1:
        raise ValueError("compare runs its optimizers one after another on one process; run it "
                         "without mpiexec")
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
