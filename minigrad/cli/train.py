"""``minigrad train``: one training run on MNIST, a toy data set or a text data set (a
character-level language model), new or resumed.

This module parses and reports; the run's configuration (defaults, resume, conflicts) is
decided by ``recipes.config``, and the run itself is ``recipes.run`` (data sets by name) or
``recipes.toy_nets`` (the 2-D toy sets) or ``recipes.language_models`` (names, shakespeare).
"""
import os
import sys
import time

from ..distributed.process_group import launched_world_size
from ..distributed.training import describe_world, init_from_environment, is_main_process
from ..recipes import config as run_config
from ..recipes import language_models, toy_nets
from ..recipes.choices import DATASETS, OPTIMIZERS, SCHEDULERS
from ..recipes.run import train_run
from .. import models
from ..utils import tensorboard
from ..viz.boundary import have_matplotlib
from .arguments import _default, _write, add_data_arguments, positive_float, positive_int
from .compare_options import add_schedule_value_arguments, parse_schedule_values, scheduler_help
from .toy_options import add_toy_arguments

TOY_OPTIONS = ("hidden", "samples", "noise", "animate")


def add_train_arguments(parser):
    add_data_arguments(parser, for_resume=True, text_files=True,
                       datasets=[*DATASETS, *toy_nets.DATASETS, *language_models.DATASETS])
    parser.add_argument("--epochs", type=positive_int,
                        help="number of epochs" + _default("epochs") + "; when resuming, the "
                             "run's own (a run can be extended only if its schedule does not "
                             "depend on its length)")
    parser.add_argument("--optimizer", choices=list(OPTIMIZERS),
                        help="optimizer" + _default("optimizer"))
    parser.add_argument("--lr", type=positive_float,
                        help="learning rate (default: the optimizer's usual value)")
    parser.add_argument("--scheduler", choices=SCHEDULERS,
                        help=scheduler_help(run_config.TRAIN_DEFAULTS["scheduler"]))
    add_schedule_value_arguments(parser)  # --milestones, --gamma
    parser.add_argument("--out", help="output folder (default: runs/MODEL-OPTIMIZER; when "
                                      "resuming, the checkpoint's folder)")
    parser.add_argument("--resume", metavar="CHECKPOINT",
                        help="continue the run saved in this checkpoint")
    parser.add_argument("--compile", action="store_true",
                        help="replay each training step as a static graph (minigrad.compile)")
    parser.add_argument("--tensorboard", metavar="DIR",
                        help="also log each epoch's train/validation loss and accuracy and the "
                             "learning rate as TensorBoard event files in DIR (needs the "
                             "tensorboard extra: pip install minigrad[tensorboard])")
    add_toy_arguments(parser)  # --hidden, --samples, --noise, --animate


def run_train(args) -> int:
    distributed = launched_world_size() > 1
    if distributed and args.dataset in toy_nets.DATASETS:
        raise ValueError(f"--dataset {args.dataset} trains in a second on one process; run it "
                         "without mpiexec")
    if distributed and args.compile:
        raise ValueError("--compile does not record DistributedDataParallel's gradient hooks; "
                         "under mpiexec train without it")
    if args.dataset is None and args.resume:  # a resumed run: its own data set decides
        saved = run_config.dataset_of_checkpoint(args.resume)
        if language_models.is_text_dataset(saved or ""):  # MNIST runs are decided as before
            args.dataset = saved
    if distributed and language_models.is_text_dataset(args.dataset or ""):
        raise ValueError(f"--dataset {args.dataset}: language models train on one process; "
                         "run without mpiexec")
    if args.tensorboard and not tensorboard.is_available():
        args.parser.error("--tensorboard needs the tensorboardX package, an optional extra: "
                          "pip install minigrad[tensorboard]")
    init_from_environment()  # under mpiexec -n K: data-parallel over K processes
    if args.dataset in toy_nets.DATASETS:
        return _run_toy(args)
    if language_models.is_text_dataset(args.dataset or ""):
        return _run_language_model(args)
    if args.model in language_models.char.MODELS and args.model not in models.MODELS:
        raise ValueError(f"--model {args.model} is a language model; train it on a text data "
                         f"set (--dataset {'|'.join(language_models.DATASETS)}|FILE.txt)")
    run_config.refuse_toy_options({name: getattr(args, name) for name in TOY_OPTIONS})
    requested = {key: getattr(args, key) for key in run_config.TRAIN_DEFAULTS}
    requested["milestones"], requested["gamma"] = parse_schedule_values(args)
    try:
        config, out = run_config.configure_run(requested, args.resume, args.out, args.data_root,
                                               launched_world_size())
    except run_config.ResumeConflict as error:
        if not is_main_process():  # rank 0 alone says it
            sys.exit(2)
        args.parser.error(str(error))
    config["compile"] = args.compile  # how to run, not what: free to change on resume
    start = time.perf_counter()
    trainer, loss, accuracy = train_run(config, out_dir=out, resume=args.resume,
                                        progress=False if args.quiet else None,
                                        log=None if args.quiet else _write,
                                        tensorboard=args.tensorboard)
    seconds = time.perf_counter() - start
    if not is_main_process():  # rank 0 alone reports
        return 0
    _report(config, out, trainer, loss, accuracy, seconds)
    return 0


def _report(config, out, trainer, loss, accuracy, seconds):
    last = trainer.history[-1] if trainer.history else {}
    val = (f"; validation accuracy {100 * last['val_accuracy']:.2f}% on {config['val_size']} "
           "held-out training images" if last.get("val_accuracy") is not None else "")
    subset = f", trained on the first {config['subset']} images" if config.get("subset") else ""
    print(f"{config['model']} + {config['optimizer']} on {config['dataset']}: test accuracy "
          f"{100 * accuracy:.2f}%, test loss {loss:.4f} (the whole test set, evaluated once at "
          f"the end){val}; {trainer.epoch} epoch{'' if trainer.epoch == 1 else 's'}{subset}, "
          f"{seconds:.1f}s{describe_world(config['batch_size'])}")
    written = _files_written(out, trainer)
    print(f"wrote {out}/: {', '.join(written)}"
          + ("" if "curves.png" in written else " (install matplotlib for curves.png)"))
    _warn_if_chance(config["dataset"], accuracy)


def _run_language_model(args) -> int:
    """Train a character-level language model on names, shakespeare or a text file."""
    requested = {name: getattr(args, name, None) for name in
                 (*run_config.TRAIN_DEFAULTS, *TOY_OPTIONS, "compile")}
    requested["milestones"], requested["gamma"] = parse_schedule_values(args)
    try:
        config, out = run_config.configure_language_model_run(requested, args.resume, args.out,
                                                              args.data_root)
    except run_config.ResumeConflict as error:
        args.parser.error(str(error))
    start = time.perf_counter()
    trainer, loss, accuracy = language_models.train_language_model(
        config, out_dir=out, resume=args.resume, progress=False if args.quiet else None,
        log=None if args.quiet else _write, tensorboard=args.tensorboard)
    seconds = time.perf_counter() - start
    print(f"{config['model']} + {config['optimizer']} on {config['dataset']}: test loss "
          f"{loss:.4f} nats per character, next-character accuracy {100 * accuracy:.2f}% (the "
          f"test split, evaluated once at the end); {trainer.epoch} epoch"
          f"{'' if trainer.epoch == 1 else 's'}, {seconds:.1f}s")
    written = _files_written(out, trainer)
    if trainer.last_checkpoint:
        print(f"wrote {out}/: {', '.join(written)}\nsample from it: minigrad sample "
              f"--checkpoint {trainer.last_checkpoint[1]} -n 20")
    return 0


def _files_written(out, trainer) -> list[str]:
    """The run's files in ``out``: the history, results, curves and its newest checkpoint."""
    written = [name for name in ("history.json", "history.csv", "results.json", "curves.png")
               if os.path.exists(os.path.join(out, name))]
    if trainer.last_checkpoint and (os.path.abspath(os.path.dirname(trainer.last_checkpoint[1]))
                                    == os.path.abspath(out)):
        written.append(os.path.basename(trainer.last_checkpoint[1]))
    return written


def _run_toy(args) -> int:
    """Train on a toy data set, write the files, report."""
    requested = {name: getattr(args, name, None) for name in
                 ("dataset", "resume", "model", "subset", "optimizer", "scheduler", "epochs",
                  "batch_size", "seed", "hidden", "lr", "samples", "noise", "val_size",
                  "compile")}
    requested["milestones"], requested["gamma"] = parse_schedule_values(args)
    config, out = run_config.configure_toy_run(requested, getattr(args, "out", None))
    result = toy_nets.train_toy(config, log=None if getattr(args, "quiet", False) else print,
                                animate=getattr(args, "animate", False),
                                tensorboard=getattr(args, "tensorboard", None))
    written = toy_nets.write_outputs(result, out)
    history, model = result.trainer.history, result.model
    last = history[-1]
    sizes = "-".join(str(n) for n in (2, *config["hidden"], model[-1].out_features))
    accuracy = ("no validation split" if last["val_accuracy"] is None else
                f"validation accuracy {100 * last['val_accuracy']:.2f}%, "
                f"validation loss {last['val_loss']:.4f}")
    print(f"mlp {sizes} + {config['optimizer']} on {config['dataset']}: {accuracy}, "
          f"{last['epoch']} epochs in {sum(r['seconds'] for r in history):.1f}s of training\n"
          f"wrote {out}/: {', '.join(written)}"
          + ("" if have_matplotlib() else
             " (install matplotlib, the [plot] extra, for the pictures)"))
    return 0


def _warn_if_chance(dataset, accuracy):
    classes = getattr(DATASETS[dataset], "classes", None)
    if classes and accuracy < 1.5 / len(classes):
        print(f"warning: the network learned nothing: {100 * accuracy:.2f}% is chance level for "
              f"{len(classes)} classes. Try a smaller learning rate (--lr), another optimizer, "
              "or see 'When training goes wrong' in the README", file=sys.stderr)
