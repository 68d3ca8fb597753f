"""``minigrad train``: one training run on MNIST or a toy data set, new or resumed."""
import os
import sys
import time

from .. import experiments, toy_training
from ..distributed.process_group import launched_world_size
from ..distributed.training import describe_world, init_from_environment, is_main_process
from ..train import checkpoints_in
from .arguments import (TRAIN_DEFAULTS, _default, _write, add_data_arguments, positive_float,
                        positive_int)


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
    distributed = launched_world_size() > 1
    if distributed and args.dataset in toy_training.DATASETS:
        raise ValueError(f"--dataset {args.dataset} trains in a second on one process; run it "
                         "without mpiexec")
    if distributed and args.compile:
        raise ValueError("--compile does not record DistributedDataParallel's gradient hooks; "
                         "under mpiexec train without it")
    init_from_environment()  # under mpiexec -n K: data-parallel over K processes
    if args.dataset in toy_training.DATASETS:
        return toy_training.run(args)
    toy_only = [f"--{name}" for name in ("hidden", "samples", "noise")
                if getattr(args, name) is not None] + (["--animate"] if args.animate else [])
    if toy_only:  # silently training the default network instead would mislead
        raise ValueError(f"{', '.join(toy_only)} apply to the toy data sets (--dataset "
                         f"{'|'.join(toy_training.DATASETS)}); MNIST's networks are chosen "
                         "with --model")
    requested = {key: getattr(args, key) for key in TRAIN_DEFAULTS}
    if args.resume:
        from ..serialization import load
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
        out = args.out or _fresh_folder(os.path.join("runs",
                                                     f"{config['model']}-{config['optimizer']}"))
        if checkpoints_in(out):
            # Their epoch numbers would mix with the new run's (and rotation would delete
            # the new ones), so a new run needs a folder of its own.
            raise ValueError(f"{out} already holds checkpoints of another run; continue it with "
                             f"--resume {checkpoints_in(out)[-1]}, or give a new --out folder")
    if os.path.exists(out) and not os.path.isdir(out):
        raise ValueError(f"--out {out} is a file; give a folder for the run's files")
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


def _fresh_folder(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``, ... : the first that holds no run's checkpoints, so
    that running the same command twice starts a second run instead of failing."""
    folder, number = base, 2
    while checkpoints_in(folder):
        folder, number = f"{base}-{number}", number + 1
    return folder
