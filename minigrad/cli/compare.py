"""``minigrad compare``: train once per optimizer from the same start and tabulate; with
--depth/--hidden/--lr/--scheduler, across architectures (``recipes.depth_study``)."""
import os

from ..distributed.process_group import launched_world_size
from ..recipes.choices import OPTIMIZERS
from ..recipes.compare import compare
from ..recipes.config import TRAIN_DEFAULTS
from ..recipes.depth_study import compare_depths
from . import compare_options
from .arguments import _write, add_data_arguments, positive_int


def add_compare_arguments(parser):
    add_data_arguments(parser, for_resume=False)
    parser.add_argument("--epochs", type=positive_int, default=5,
                        help="number of epochs (default: 5)")
    parser.add_argument("--optimizers", default="sgd,momentum,nesterov,adagrad,rmsprop,adam",
                        help="comma-separated, from: " + ", ".join(OPTIMIZERS)
                             + " (default: %(default)s)")
    parser.add_argument("--out", default="runs/compare",
                        help="output folder (default: %(default)s)")
    compare_options.add_arguments(parser)  # --depth, --hidden, --width, --lr, --scheduler, ...


def run_compare(args) -> int:
    if launched_world_size() > 1:
        raise ValueError("compare runs its optimizers one after another on one process; run it "
                         "without mpiexec")
    names = [n.strip() for n in args.optimizers.split(",") if n.strip()]
    unknown = [n for n in names if n not in OPTIMIZERS]
    if unknown or not names:
        args.parser.error(f"unknown optimizer(s) {', '.join(unknown) or '(none given)'}; "
                          f"choose from {', '.join(OPTIMIZERS)}")
    config = {key: TRAIN_DEFAULTS[key] if getattr(args, key, None) is None else getattr(args, key)
              for key in ("model", "batch_size", "seed", "dataset", "subset", "val_size")}
    config.update(epochs=args.epochs, data_root=args.data_root)
    if compare_options.wanted(args):  # across depths, per-optimizer rates, a schedule
        return _run_depth_study(args, names, config)
    _, table = compare(names, config, args.out, progress=False if args.quiet else None,
                       log=None if args.quiet else _write)
    print(table)
    drawn = os.path.exists(os.path.join(args.out, "comparison.png"))
    print(f"wrote {args.out}/: comparison.json, comparison.md"
          + (", comparison.png" if drawn else " (install matplotlib for comparison.png)"))
    return 0


def _run_depth_study(args, names, config) -> int:
    """``compare`` when any option of compare_options is given; ``config`` holds the shared
    options with their defaults filled in. Every value is checked before the first run."""
    if config["model"] not in ("mlp", "mlp-bn"):
        raise ValueError(f"--depth, --hidden, --lr and --scheduler apply to the MLPs "
                         f"(mlp, mlp-bn), not {config['model']}")
    hidden_sizes = compare_options.architectures(args)
    lrs = compare_options.parse_lr_spec(args.lr, names) if args.lr is not None else {}
    schedule = compare_options.schedule_options(args)
    _, table, figure = compare_depths(names, hidden_sizes, config, args.out, lrs, schedule,
                                      progress=False if args.quiet else None,
                                      log=None if args.quiet else print)
    print(table)
    print(f"wrote {args.out}/comparison.json, comparison.md"
          + (" and comparison.png" if figure else " (install matplotlib for comparison.png)"))
    return 0
