"""The ``minigrad`` command: train, compare, gradcheck, evaluate.

    minigrad train                         # the default MLP with Adam on MNIST
    minigrad train --model cnn --epochs 5 --scheduler onecycle --lr 3e-3
    minigrad compare --optimizers sgd,momentum,adam --epochs 3
    minigrad gradcheck
    minigrad evaluate --checkpoint runs/mlp-adam/checkpoint-epoch010.mg
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from . import experiments, models
from .data.download import DownloadError
from .data.idx import IDXError
from .serialization import CheckpointError
from .train import TrainingDiverged, checkpoints_in

DEFAULT_EPOCHS = 10
EXPECTED_ERRORS = (FileNotFoundError, CheckpointError, IDXError, DownloadError,
                   TrainingDiverged, ValueError, KeyError)


def _positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _common(parser, epochs):
    parser.add_argument("--model", choices=list(models.MODELS), default="mlp")
    parser.add_argument("--epochs", type=_positive_int, default=epochs,
                        help=f"number of epochs (default: {epochs or DEFAULT_EPOCHS}; when resuming, "
                             "the run's own)")
    parser.add_argument("--batch-size", type=_positive_int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dataset", choices=list(experiments.DATASETS), default="mnist")
    parser.add_argument("--data-root", default=None,
                        help="data folder (default: $MINIGRAD_DATA, else ~/.cache/minigrad)")
    parser.add_argument("--subset", type=_positive_int, default=None,
                        help="train on the first N images only (quick runs)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars or epoch lines")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minigrad", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train a network and save checkpoints")
    _common(train, epochs=None)
    train.add_argument("--optimizer", choices=list(experiments.OPTIMIZERS), default="adam")
    train.add_argument("--lr", type=_positive_float, default=None,
                       help="learning rate (default: the optimizer's usual value)")
    train.add_argument("--scheduler", choices=experiments.SCHEDULERS, default="cosine")
    train.add_argument("--out", default=None, help="output folder (default: runs/MODEL-OPTIMIZER)")
    train.add_argument("--resume", default=None, help="checkpoint to continue from")
    train.add_argument("--compile", action="store_true",
                       help="replay each training step as a static graph (minigrad.compile)")

    compare = commands.add_parser("compare", help="train once per optimizer from the same start")
    _common(compare, epochs=5)
    compare.add_argument("--optimizers", default="sgd,momentum,nesterov,adagrad,rmsprop,adam")
    compare.add_argument("--out", default="runs/compare")

    commands.add_parser("gradcheck", help="check every layer's and loss's backward numerically")

    evaluate = commands.add_parser("evaluate", help="test accuracy of a saved checkpoint")
    evaluate.add_argument("--checkpoint", required=True)
    evaluate.add_argument("--data-root", default=None)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args, parser)
    except EXPECTED_ERRORS as error:
        parser.exit(1, f"minigrad {args.command}: error: {error}\n")
    except KeyboardInterrupt:
        parser.exit(130, "interrupted\n")


def _log(args):
    return None if args.quiet else print


def run_train(args, parser) -> int:
    config = {"model": args.model, "optimizer": args.optimizer, "lr": args.lr,
              "scheduler": args.scheduler, "epochs": args.epochs or DEFAULT_EPOCHS,
              "batch_size": args.batch_size,
              "seed": args.seed, "dataset": args.dataset, "subset": args.subset,
              "data_root": args.data_root}
    if args.resume:
        from .serialization import load
        saved = load(args.resume).get("metadata", {}).get("config")
        if not saved:
            parser.error(f"{args.resume} holds no run configuration to resume")
        config = {**saved, "epochs": args.epochs or saved["epochs"], "data_root": args.data_root}
    config["compile"] = args.compile
    out = args.out or os.path.join("runs", f"{config['model']}-{config['optimizer']}")
    start = time.perf_counter()
    trainer, loss, accuracy = experiments.train_run(config, out_dir=out, resume=args.resume,
                                                    progress=False if args.quiet else None,
                                                    log=_log(args))
    newest = checkpoints_in(out)[-1] if checkpoints_in(out) else "(none)"
    print(f"{config['model']} + {config['optimizer']} on {config['dataset']}: test accuracy "
          f"{100 * accuracy:.2f}%, test loss {loss:.4f}, {trainer.epoch} epochs in "
          f"{time.perf_counter() - start:.1f}s\nwrote {out}/history.json, history.csv and "
          f"{newest}")
    return 0


def run_compare(args, parser) -> int:
    names = [n.strip() for n in args.optimizers.split(",") if n.strip()]
    unknown = [n for n in names if n not in experiments.OPTIMIZERS]
    if unknown or not names:
        parser.error(f"unknown optimizer(s) {', '.join(unknown) or '(none given)'}; choose from "
                     f"{', '.join(experiments.OPTIMIZERS)}")
    config = {"model": args.model, "epochs": args.epochs, "batch_size": args.batch_size,
              "seed": args.seed, "dataset": args.dataset, "subset": args.subset,
              "data_root": args.data_root}
    _, table = experiments.compare(names, config, args.out, progress=False if args.quiet else None,
                                   log=_log(args))
    print(table)
    print(f"wrote {args.out}/comparison.json, comparison.md"
          + (" and comparison.png" if os.path.exists(os.path.join(args.out, "comparison.png"))
             else " (install matplotlib for comparison.png)"))
    return 0


def run_gradcheck(args, parser) -> int:
    from .layer_checks import run
    rows = run()
    print(f"{'layer / loss':22s} {'relative error':>15s}  result")
    for name, error, passed in rows:
        print(f"{name:22s} {error:15.2e}  {'ok' if passed else 'FAIL'}")
    failed = [name for name, _, passed in rows if not passed]
    print(f"{len(rows) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def run_evaluate(args, parser) -> int:
    from .serialization import load
    from .train import evaluate
    state = load(args.checkpoint)
    config = state.get("metadata", {}).get("config") if isinstance(state, dict) else None
    if not config:
        parser.error(f"{args.checkpoint} is not a training checkpoint written by minigrad train")
    model = models.build(config["model"])
    model.load_state_dict(state["model"])
    _, test_loader = experiments.load_data(config["dataset"], 1000, None, args.data_root)
    loss, accuracy = evaluate(model, test_loader)
    print(f"{args.checkpoint}: {config['model']} on {config['dataset']} test set: accuracy "
          f"{100 * accuracy:.2f}%, loss {loss:.4f} (epoch {state['epoch']})")
    return 0


COMMANDS = {"train": run_train, "compare": run_compare, "gradcheck": run_gradcheck,
            "evaluate": run_evaluate}

if __name__ == "__main__":
    sys.exit(main())
