"""The options of ``minigrad compare`` beyond the plain comparison: depth (``--depth``,
``--width``, ``--hidden``), a learning rate per optimizer (``--lr sgd=1.0,adam=1e-3``) and a
schedule (``--scheduler multistep --milestones 20,30 --gamma 0.5``). Every value is parsed
and checked here, before any training, and a bad one is a ValueError that names the option
(the command prints it as one line). The runs themselves are ``recipes.depth_study``."""
from __future__ import annotations

import math

from ..recipes.choices import SCHEDULER_HELP, SCHEDULERS, check_schedule_options


def add_arguments(parser) -> None:
    """The options this module adds to the ``compare`` subcommand (values parsed in ``run``,
    so that a bad one is a one-line error naming it)."""
    group = parser.add_argument_group("depth, learning rates and schedule")
    group.add_argument("--depth", default=None,
                       help="hidden layers: one number, a list (1,2,5) or a range (1-5); "
                            "a comparison per depth")
    group.add_argument("--width", default="128", help="units per hidden layer with --depth "
                                                      "(default: 128)")
    group.add_argument("--hidden", default=None,
                       help="explicit hidden layer sizes, e.g. 256,128 (instead of --depth)")
    group.add_argument("--lr", default=None,
                       help="learning rates: one for all (0.01) or per optimizer "
                            "(sgd=1.0,adam=1e-3); the others keep their usual value")
    group.add_argument("--scheduler", default="none", choices=SCHEDULERS,
                       help=scheduler_help("none") + " (every run)")
    add_schedule_value_arguments(group)


def add_schedule_value_arguments(parser) -> None:
    """--milestones and --gamma (compare and train)."""
    parser.add_argument("--milestones", default=None,
                        help="epochs at which multistep multiplies the lr by --gamma, e.g. 20,30")
    parser.add_argument("--gamma", default=None,
                        help="the factor of step (default 0.1), multistep (0.1) and exponential "
                             "(0.8) schedules")


def wanted(args) -> bool:
    """True when any option of this module was given on the command line."""
    return any(getattr(args, name, None) is not None
               for name in ("depth", "hidden", "lr", "milestones", "gamma")) \
        or getattr(args, "scheduler", "none") != "none"


# ------------------------------------------------------------------ parsing (ValueError)
def parse_positive_int(text, option) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"{option}: expected a positive integer, got {text!r}")
    return value


def parse_int_list(text, option) -> list[int]:
    """'1,2,5' -> [1, 2, 5]; '1-5' -> [1, 2, 3, 4, 5]."""
    values = []
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        if dash:
            low, high = parse_positive_int(low, option), parse_positive_int(high, option)
            if high < low:
                raise ValueError(f"{option}: empty range {part.strip()!r}")
            values += range(low, high + 1)
        else:
            values.append(parse_positive_int(part.strip(), option))
    return values


def parse_positive_float(text, option) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{option}: expected a finite positive number, got {text!r}")
    return value


def parse_lr_spec(text, names) -> dict:
    """'sgd=1.0,adam=1e-3' -> {'sgd': 1.0, 'adam': 0.001}; a bare '0.01' sets every name in
    ``names``. Each name must be one of the optimizers being compared."""
    if "=" not in text:
        try:
            float(text)
        except ValueError:
            raise ValueError(f"--lr: {text!r} is neither a number nor NAME=VALUE pairs "
                             f"(e.g. sgd=1.0,adam=1e-3)") from None
        value = parse_positive_float(text, "--lr")
        return {name: value for name in names}
    rates = {}
    for item in text.split(","):
        name, equals, value = item.strip().partition("=")
        if not equals or not name:
            raise ValueError(f"--lr: {item.strip()!r} is not NAME=VALUE (e.g. sgd=1.0,adam=1e-3)")
        if name not in names:
            raise ValueError(f"--lr: {name!r} is not among the optimizers compared "
                             f"({', '.join(names)})")
        if name in rates:
            raise ValueError(f"--lr: {name!r} is given twice")
        rates[name] = parse_positive_float(value, f"--lr {name}")
    return rates


def architectures(args) -> list[tuple[int, ...]]:
    """Hidden sizes of each MLP to compare: one tuple per depth, or the one --hidden gives."""
    if args.hidden is not None and args.depth is not None:
        raise ValueError("--hidden and --depth are alternatives; give one of them")
    if args.hidden is not None:
        return [tuple(parse_positive_int(s.strip(), "--hidden") for s in args.hidden.split(","))]
    if args.depth is None:
        return [(256, 128)]  # the default network of models.mlp
    width = parse_positive_int(args.width, "--width")
    return [(width,) * depth for depth in parse_int_list(args.depth, "--depth")]


def parse_schedule_values(args) -> tuple:
    """--milestones and --gamma as values (None when not given), each checked alone."""
    milestones = (None if args.milestones is None
                  else parse_int_list(args.milestones, "--milestones"))
    gamma = None if args.gamma is None else parse_positive_float(args.gamma, "--gamma")
    return milestones, gamma


def schedule_options(args) -> dict:
    """Validated --scheduler, --milestones and --gamma."""
    milestones, gamma = parse_schedule_values(args)
    check_schedule_options(args.scheduler, milestones, gamma)
    return {"name": args.scheduler, "milestones": milestones, "gamma": gamma}


def scheduler_help(default: str) -> str:
    """--help's text of --scheduler: what each schedule does to the learning rate."""
    return (f"learning-rate schedule (default: {default}): "
            + "; ".join(f"{name}: {what}" for name, what in SCHEDULER_HELP.items()))
