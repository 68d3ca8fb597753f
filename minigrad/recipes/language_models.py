"""Character-level language models on a text data set (``minigrad train --dataset names``):
the run, and sampling from its checkpoints (``minigrad sample``).

The run is ``run.py``'s with a language model in place of a classifier: the same Trainer
(checkpoints every epoch, exact resume, the validation split measured each epoch, the test
split once at the end), the same history, results and curves, plus a few samples printed
after every epoch. The data sets:

    names         one name per line (makemore's 32,032 names), 80/10/10 by a seeded shuffle
    shakespeare   tiny Shakespeare, 90/5/5 contiguous stretches, blocks of 64 characters
    FILE.txt      a text file of your own: a file of short lines (each line one word or name)
                  is read like names, any other text like shakespeare

Each model reads the form it needs (``models.char.MODELS``): the MLP a fixed context of
characters, the others whole sequences, where every position predicts the next character
and padding (target -1) is skipped. The loss is the mean cross-entropy per predicted
character, in nats. AdamW decays the matrices only; gradients are clipped at norm 1.
"""
from __future__ import annotations

import os

import numpy as np

from .. import data
from ..autograd import no_grad
from ..models import char
from ..nn import functional as F
from ..random import Generator, manual_seed
from ..serialization import load
from ..tensor import Tensor
from ..utils.data import DataLoader
from ..viz.curves import plot_curves
from .choices import OPTIMIZERS, make_scheduler
from .run import RunInterrupted, write_history, write_results
from .trainer import Trainer, evaluate, open_writer

DATASETS = ("names", "shakespeare")
TEXT_BLOCK_SIZE = 64  # characters of context for models of a long text
# A run's defaults, where they differ from an MNIST run's.
DEFAULTS = {"model": "transformer", "optimizer": "adamw", "scheduler": "warmup-cosine",
            "epochs": 10, "batch_size": 32, "lr": None, "seed": 0}
# The learning rate each model trains well with under AdamW (a run's default): the bigram's
# table starts at zero and needs large steps; the transformer, nanoGPT's small-model rate.
LEARNING_RATES = {"bigram": 0.1, "mlp": 3e-3, "rnn": 3e-3, "gru": 3e-3, "lstm": 3e-3,
                  "transformer": 1e-3}
WEIGHT_DECAY, CLIP_NORM = 0.1, 1.0


def is_text_dataset(name) -> bool:
    """A known corpus, or the path of a .txt file."""
    return name in DATASETS or str(name).endswith(".txt")


def load_text(dataset, model, root=None) -> tuple:
    """(train, val, test) data sets in the form ``model`` reads."""
    if model not in char.MODELS:
        raise ValueError(f"unknown language model {model!r}; choose from "
                         f"{', '.join(char.MODELS)}")
    form = char.MODELS[model][1]
    if _is_words(dataset, root):
        block = char.MODELS[model][2].get("block_size", 3)
        return tuple(data.CharWords(dataset, split=s, block_size=block, form=form, root=root)
                     for s in ("train", "val", "test"))
    if form == "context":
        raise ValueError(f"--model {model} reads a fixed context of a word; for a long text "
                         f"like {dataset} choose one of "
                         f"{', '.join(m for m, v in char.MODELS.items() if v[1] == 'sequence')}")
    # Training blocks overlap by half (twice the blocks of a cut); val and test are cut.
    return tuple(data.CharText(dataset, split=s, block_size=TEXT_BLOCK_SIZE, root=root,
                               stride=TEXT_BLOCK_SIZE // (2 if s == "train" else 1))
                 for s in ("train", "val", "test"))


def _is_words(dataset, root) -> bool:
    if dataset in DATASETS:
        return dataset == "names"
    with open(data.corpus_path(dataset, root)) as handle:
        lines = handle.read().splitlines()
    # A file of names or words: short lines without spaces (a text has sentences).
    return bool(lines) and all(len(line) <= 40 and " " not in line.strip() for line in lines)


def sequence_loss(logits, targets):
    """Mean cross-entropy per predicted character: (N, T, V) or (N, V) logits, padding -1."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                           ignore_index=-1)


def make_optimizer(name, model, lr=None):
    """The optimizer by name; AdamW gets nanoGPT's groups (no decay on biases and gains)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(OPTIMIZERS)}")
    cls, default_lr, options = OPTIMIZERS[name]
    parameters = (char.decay_groups(model, WEIGHT_DECAY) if name == "adamw"
                  else list(model.parameters()))
    return cls(parameters, lr=default_lr if lr is None else lr, **options)


def train_language_model(config: dict, out_dir=None, resume=None, progress=None, log=print,
                         samples_per_epoch: int = 5, tensorboard=None):
    """Train per ``config`` (dataset, model, optimizer, lr, scheduler, epochs, batch_size,
    seed); returns (trainer, test loss per character, test next-character accuracy). With
    ``out_dir``: a checkpoint per epoch (holding the vocabulary, so ``sample`` needs no
    data), history, results.json and curves.png. After each epoch ``log`` gets samples.
    With ``tensorboard`` (a folder): each epoch's record also goes to TensorBoard there."""
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    manual_seed(config["seed"])
    train, val, test = load_text(config["dataset"], config["model"], config.get("data_root"))
    model = char.build(config["model"], train.vocab_size, train.block_size)
    optimizer = make_optimizer(config["optimizer"], model, config.get("lr"))
    loader = DataLoader(train, config["batch_size"], shuffle=True)
    scheduler, interval = make_scheduler(config["scheduler"], optimizer, config["epochs"],
                                         len(loader), config.get("milestones"),
                                         config.get("gamma"))
    saved_config = {k: v for k, v in config.items() if k != "data_root"}
    saved_config["world_size"] = 1  # language models train on one process
    metadata = {"config": saved_config, "vocabulary": "".join(train.itos),
                "block_size": train.block_size, "words": isinstance(train, data.CharWords)}

    def show_samples(trainer, record):
        if log and samples_per_epoch:
            texts = generate_samples(model, metadata, samples_per_epoch,
                                     seed=config["seed"] + record["epoch"])
            log(f"  samples: {_joined(texts, metadata['words'])}")

    trainer = Trainer(model, optimizer, loss_fn=sequence_loss, scheduler=scheduler,
                      scheduler_interval=interval, out_dir=out_dir, progress=progress, log=log,
                      metadata=metadata, clip_grad_norm=CLIP_NORM, epoch_end=show_samples,
                      writer=open_writer(tensorboard))
    if resume:
        trainer.resume(resume)
        if log:
            log(f"resumed from epoch {trainer.epoch} of {config['epochs']} ({resume})")
    try:
        trainer.fit(loader, config["epochs"], DataLoader(val, 1024))
    except KeyboardInterrupt:  # as run.py: the history of the saved epochs, then stop
        saved_epoch, checkpoint = trainer.last_checkpoint or (0, None)
        history = [record for record in trainer.history if record["epoch"] <= saved_epoch]
        if out_dir and history:
            write_history(history, out_dir)
        raise RunInterrupted(saved_epoch, checkpoint) from None
    finally:
        if trainer.writer is not None:
            trainer.writer.close()
    test_loss, test_accuracy = evaluate(model, DataLoader(test, 1024), sequence_loss)
    if out_dir:
        write_history(trainer.history, out_dir)
        write_results(out_dir, saved_config, trainer, test_loss, test_accuracy, len(test))
        plot_curves({"run": trainer.history}, os.path.join(out_dir, "curves.png"),
                    f"{config['model']} + {config['optimizer']} on {config['dataset']}",
                    accuracy_label="next-character accuracy (%)", accuracy_key="val_accuracy")
    return trainer, test_loss, test_accuracy


def generate_samples(model, metadata, count, temperature=1.0, top_k=None, seed=0,
                     length=None) -> list[str]:
    """``count`` samples from ``model``: names start at '.' and end at the next '.'; a text
    starts at a newline and runs ``length`` characters (default 200)."""
    vocabulary = data.Vocabulary(metadata["vocabulary"])
    words = metadata["words"]
    start = np.full((count, 1), 0 if words else vocabulary.stoi.get("\n", 0), dtype=np.int64)
    steps = length or (2 * metadata["block_size"] if words else 200)
    with no_grad():
        rows = model.generate(Tensor(start), steps, temperature=temperature, top_k=top_k,
                              generator=Generator().manual_seed(seed)).array
    if words:
        return [vocabulary.decode(row[1:]).split(".")[0] for row in rows]
    return [vocabulary.decode(row) for row in rows]


def sample_checkpoint(path, count=20, temperature=1.0, top_k=None, seed=0, length=None):
    """Samples from the model saved in a checkpoint of a language-model run."""
    state = load(path)
    metadata = state.get("metadata", {}) if isinstance(state, dict) else {}
    if "vocabulary" not in metadata or "model" not in state:
        raise ValueError(f"{path} is not a language-model checkpoint: it needs the model's "
                         "state and its vocabulary, as minigrad train --dataset names writes")
    model = char.build(metadata["config"]["model"], len(metadata["vocabulary"]),
                       metadata["block_size"])
    model.load_state_dict(state["model"])
    return generate_samples(model, metadata, count, temperature, top_k, seed, length)


def _joined(texts, words) -> str:
    return " ".join(texts) if words else "\n".join(repr(t) for t in texts)
