"""``minigrad compare`` across depths, with a learning rate per optimizer and a schedule.

    minigrad compare --depth 1-5 --optimizers sgd,momentum,nesterov,rmsprop,adam \\
        --lr sgd=1.0,rmsprop=1e-3 --scheduler multistep --milestones 20,30 --gamma 0.5

Every optimizer trains the same MLP from the same initial weights on the same batches, once
per architecture (``--depth`` hidden layers of ``--width`` units, or explicit ``--hidden``
sizes); one table and one figure hold every run. The plain ``compare`` (no option of this
module given) stays in ``experiments.compare``.
"""
from __future__ import annotations

import json
import os
import time

from . import experiments, models
from .optim import lr_scheduler as S
from .random import manual_seed
from .train import Trainer, TrainingDiverged

SCHEDULE_GAMMA = {"step": 0.1, "multistep": 0.1, "exponential": 0.8}  # the defaults --gamma overrides


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
    group.add_argument("--scheduler", default="none", choices=experiments.SCHEDULERS,
                       help="learning-rate schedule of every run (default: none)")
    group.add_argument("--milestones", default=None,
                       help="epochs at which multistep multiplies the lr by --gamma, e.g. 20,30")
    group.add_argument("--gamma", default=None,
                       help="the factor of step, multistep and exponential schedules")


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
    if not value > 0:
        raise ValueError(f"{option}: expected a positive number, got {text!r}")
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


def schedule_options(args) -> dict:
    """Validated --scheduler, --milestones and --gamma."""
    name = args.scheduler
    milestones = None
    if args.milestones is not None:
        if name != "multistep":
            raise ValueError(f"--milestones applies to --scheduler multistep, not {name}")
        milestones = parse_int_list(args.milestones, "--milestones")
        if milestones != sorted(set(milestones)):
            raise ValueError(f"--milestones must increase, got {args.milestones!r}")
    gamma = None
    if args.gamma is not None:
        if name not in SCHEDULE_GAMMA:
            raise ValueError(f"--gamma applies to --scheduler {', '.join(SCHEDULE_GAMMA)}, "
                             f"not {name}")
        gamma = parse_positive_float(args.gamma, "--gamma")
    return {"name": name, "milestones": milestones, "gamma": gamma}


def make_scheduler(options, optimizer, epochs, steps_per_epoch):
    """experiments.make_scheduler, with the milestones and factor given on the command line."""
    name, gamma = options["name"], options["gamma"]
    if name == "multistep" and (options["milestones"] or gamma is not None):
        milestones = options["milestones"] or [max(1, epochs // 2), max(2, 3 * epochs // 4)]
        return S.MultiStepLR(optimizer, milestones, gamma or SCHEDULE_GAMMA[name]), "epoch"
    if name == "step" and gamma is not None:
        return S.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=gamma), "epoch"
    if name == "exponential" and gamma is not None:
        return S.ExponentialLR(optimizer, gamma=gamma), "epoch"
    return experiments.make_scheduler(name, optimizer, epochs, steps_per_epoch)


# ------------------------------------------------------------------ the runs
def compare_depths(optimizer_names, hidden_sizes, config, out_dir, lrs=None, schedule=None,
                   progress=False, log=print):
    """Train an MLP (``config['model']`` 'mlp' or 'mlp-bn') with each hidden-size tuple in
    ``hidden_sizes``, once per optimizer, all from the same weights per architecture and on
    the same batches. A run whose loss becomes NaN is kept, marked as diverged. Writes
    comparison.json, comparison.md and (with matplotlib) comparison.png; returns
    (results, table, figure path or None), results keyed by 'depth/optimizer'."""
    lrs, schedule = lrs or {}, schedule or {"name": "none", "milestones": None, "gamma": None}
    build = {"mlp": models.mlp, "mlp-bn": models.mlp_bn}[config["model"]]
    manual_seed(config["seed"])
    train_loader, test_loader = experiments.load_data(
        config["dataset"], config["batch_size"], config.get("subset"), config.get("data_root"))
    results = {}
    for hidden in hidden_sizes:
        manual_seed(config["seed"])
        initial = build(hidden).state_dict()
        for name in optimizer_names:
            manual_seed(config["seed"] + 1)  # the same shuffling for every run
            model = build(hidden)
            model.load_state_dict(initial)
            optimizer = experiments.make_optimizer(name, model.parameters(), lrs.get(name))
            scheduler, interval = make_scheduler(schedule, optimizer, config["epochs"],
                                                 len(train_loader))
            trainer = Trainer(model, optimizer, scheduler=scheduler, scheduler_interval=interval,
                              progress=progress)
            start, diverged = time.perf_counter(), None
            try:
                trainer.fit(train_loader, config["epochs"], test_loader)
            except TrainingDiverged:
                diverged = len(trainer.history) + 1  # the epoch in which the loss became NaN
            results[f"{len(hidden)}/{name}"] = {
                "hidden": list(hidden), "optimizer": name,
                "lr": optimizer.defaults["lr"], "history": trainer.history,
                "diverged_at_epoch": diverged, "seconds": time.perf_counter() - start}
            if log:
                log(f"{len(hidden)} hidden x {name:9s} " + _outcome(results[f"{len(hidden)}/{name}"]))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "comparison.json"), "w") as handle:
        json.dump({"config": config, "schedule": schedule, "runs": results}, handle, indent=1,
                  default=float)
    table = depth_table(results)
    with open(os.path.join(out_dir, "comparison.md"), "w") as handle:
        handle.write(table + "\n")
    figure = os.path.join(out_dir, "comparison.png")
    return results, table, figure if plot_depths(results, figure) else None


def _outcome(result) -> str:
    if result["diverged_at_epoch"]:
        return f"diverged (NaN loss) in epoch {result['diverged_at_epoch']}"
    return f"test accuracy {100 * result['history'][-1]['val_accuracy']:.2f}%"


def depth_table(results) -> str:
    lines = ["| hidden layers | optimizer | lr | final train loss | test loss | test accuracy "
             "| seconds |", "|---|---|---|---|---|---|---|"]
    for result in results.values():
        sizes = "-".join(map(str, result["hidden"]))
        head = f"| {len(result['hidden'])} ({sizes}) | {result['optimizer']} | {result['lr']:g} |"
        if result["diverged_at_epoch"]:
            lines.append(f"{head} diverged in epoch {result['diverged_at_epoch']} | - | - | "
                         f"{result['seconds']:.1f} |")
            continue
        last = result["history"][-1]
        lines.append(f"{head} {last['train_loss']:.4f} | {last['val_loss']:.4f} | "
                     f"{100 * last['val_accuracy']:.2f}% | {result['seconds']:.1f} |")
    return "\n".join(lines)


def plot_depths(results, path) -> bool:
    """One panel of training-loss curves per depth, and test accuracy against depth per
    optimizer (over the epochs, for a single depth); False (and no file) without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    depths = sorted({len(r["hidden"]) for r in results.values()})
    names = list(dict.fromkeys(r["optimizer"] for r in results.values()))
    colors = {name: f"C{i}" for i, name in enumerate(names)}
    figure, axes = plt.subplots(1, len(depths) + 1, figsize=(3.2 * (len(depths) + 1), 3.4),
                                squeeze=False)
    for axis, depth in zip(axes[0], depths):
        for result in results.values():
            if len(result["hidden"]) == depth and result["history"]:
                axis.plot([r["epoch"] for r in result["history"]],
                          [r["train_loss"] for r in result["history"]],
                          color=colors[result["optimizer"]], label=result["optimizer"])
        axis.set(title=f"{depth} hidden layer{'s' if depth > 1 else ''}", xlabel="epoch",
                 yscale="log")
    axes[0][0].set_ylabel("training loss")
    accuracy = axes[0][-1]
    if len(depths) == 1:  # one architecture: test accuracy over the epochs instead
        for result in results.values():
            accuracy.plot([r["epoch"] for r in result["history"]],
                          [100 * r["val_accuracy"] for r in result["history"]],
                          color=colors[result["optimizer"]], label=result["optimizer"])
        accuracy.set(title="test accuracy", xlabel="epoch", ylabel="%")
        names = []
    for name in names:
        points = [(len(r["hidden"]), 100 * r["history"][-1]["val_accuracy"])
                  for r in results.values()
                  if r["optimizer"] == name and r["history"] and not r["diverged_at_epoch"]]
        if points:
            accuracy.plot(*zip(*points), "o-", color=colors[name], label=name)
    if names:
        accuracy.set(title="final test accuracy", xlabel="hidden layers", ylabel="%",
                     xticks=depths)
    accuracy.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def run(args) -> int:
    """The ``compare`` subcommand when any option of this module is given. Every value is
    checked before the first run starts."""
    names = [n.strip() for n in args.optimizers.split(",") if n.strip()]
    unknown = [n for n in names if n not in experiments.OPTIMIZERS]
    if unknown or not names:
        raise ValueError(f"--optimizers: unknown optimizer(s) {', '.join(unknown) or '(none)'}; "
                         f"choose from {', '.join(experiments.OPTIMIZERS)}")
    if args.model not in ("mlp", "mlp-bn"):
        raise ValueError(f"--depth, --hidden, --lr and --scheduler apply to the MLPs "
                         f"(mlp, mlp-bn), not {args.model}")
    hidden_sizes = architectures(args)
    lrs = parse_lr_spec(args.lr, names) if args.lr is not None else {}
    schedule = schedule_options(args)
    config = {"model": args.model, "epochs": args.epochs, "batch_size": args.batch_size,
              "seed": args.seed, "dataset": args.dataset, "subset": args.subset,
              "data_root": args.data_root}
    _, table, figure = compare_depths(names, hidden_sizes, config, args.out, lrs, schedule,
                                      progress=False if args.quiet else None,
                                      log=None if args.quiet else print)
    print(table)
    print(f"wrote {args.out}/comparison.json, comparison.md"
          + (" and comparison.png" if figure else " (install matplotlib for comparison.png)"))
    return 0
