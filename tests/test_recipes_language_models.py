"""The language-model run on small text files made here: every model trains and its loss
falls, the files are written, the checkpoint samples without the data, a resumed run ends
identical to an uninterrupted one, and the choices that cannot work are refused by name."""
import json
import math
import os

import numpy as np
import pytest

from minigrad import data
from minigrad.recipes import language_models as lm
from minigrad.recipes.trainer import correct_and_count
from minigrad.tensor import Tensor

NAMES = ["anna", "bella", "clara", "dora", "emma", "fiona", "gina", "hanna", "ida", "julia",
         "kara", "lena", "mara", "nina", "ora", "paula", "rosa", "sara", "tina", "ulla"] * 4


@pytest.fixture
def names_file(tmp_path):
    path = tmp_path / "girls.txt"
    path.write_text("\n".join(NAMES) + "\n")
    return str(path)


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "play.txt"
    path.write_text("First Citizen:\nBefore we proceed any further, hear me speak.\n\n" * 30)
    return str(path)


def config(dataset, model, epochs=2, **changes):
    return {"dataset": dataset, "model": model, "optimizer": "adamw",
            "lr": lm.LEARNING_RATES[model], "scheduler": "warmup-cosine", "epochs": epochs,
            "batch_size": 16, "seed": 0, **changes}


@pytest.mark.parametrize("model", ["bigram", "mlp", "gru", "transformer"])
def test_every_model_learns_and_writes_its_run(names_file, tmp_path, model):
    lines = []
    trainer, test_loss, test_accuracy = lm.train_language_model(
        config(names_file, model, epochs=3), out_dir=tmp_path / "run", progress=False,
        log=lines.append)
    history = trainer.history
    assert len(history) == 3 and math.isfinite(test_loss)
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert history[-1]["val_loss"] < math.log(14)  # below uniform over the 14 characters
    assert sum(line.startswith("  samples: ") for line in lines) == 3
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    assert results["test_loss"] == pytest.approx(test_loss)
    assert {"history.json", "history.csv", "checkpoint-epoch003.mg"} <= set(os.listdir(tmp_path / "run"))
    samples = lm.sample_checkpoint(tmp_path / "run" / "checkpoint-epoch003.mg", count=7, seed=1)
    alphabet = set("".join(NAMES))
    assert len(samples) == 7 and all(set(s) <= alphabet for s in samples)
    again = lm.sample_checkpoint(tmp_path / "run" / "checkpoint-epoch003.mg", count=7, seed=1)
    assert samples == again  # the seed fixes the draws


def test_a_resumed_run_ends_identical_to_an_uninterrupted_one(names_file, tmp_path):
    # scheduler "none": a schedule that does not depend on the run's length can be extended
    lm.train_language_model(config(names_file, "gru", epochs=1, scheduler="none"),
                            out_dir=tmp_path / "cut", progress=False, log=None)
    whole, _, whole_accuracy = lm.train_language_model(
        config(names_file, "gru", epochs=2, scheduler="none"), out_dir=tmp_path / "whole",
        progress=False, log=None)
    resumed, _, resumed_accuracy = lm.train_language_model(
        config(names_file, "gru", epochs=2, scheduler="none"), out_dir=tmp_path / "cut",
        resume=tmp_path / "cut" / "checkpoint-epoch001.mg", progress=False, log=None)
    assert [r["train_loss"] for r in resumed.history] == [r["train_loss"] for r in whole.history]
    assert resumed.history[-1]["val_loss"] == whole.history[-1]["val_loss"]
    assert resumed_accuracy == whole_accuracy


def test_a_long_text_trains_on_blocks_and_samples_passages(text_file, tmp_path):
    train, val, test = lm.load_text(text_file, "transformer")
    assert isinstance(train, data.CharText) and train.block_size == lm.TEXT_BLOCK_SIZE
    assert train.stride == lm.TEXT_BLOCK_SIZE // 2 and val.stride == lm.TEXT_BLOCK_SIZE
    trainer, loss, _ = lm.train_language_model(
        config(text_file, "gru", epochs=2), out_dir=tmp_path / "t", progress=False, log=None)
    assert loss < math.log(train.vocab_size)
    passages = lm.sample_checkpoint(tmp_path / "t" / "checkpoint-epoch002.mg", count=2,
                                    length=30)
    assert [len(p) for p in passages] == [31, 31]  # the newline it starts from, then 30
    assert passages[0][0] == "\n"


def test_names_files_and_texts_are_told_apart(names_file, text_file):
    assert isinstance(lm.load_text(names_file, "mlp")[0], data.CharWords)
    assert lm.load_text(names_file, "mlp")[0].form == "context"
    assert lm.load_text(names_file, "gru")[0].form == "sequence"
    assert lm.is_text_dataset("names") and lm.is_text_dataset("my.txt")
    assert not lm.is_text_dataset("mnist")


def test_correct_and_count_skip_padding():
    logits = np.zeros((2, 3, 4), dtype=np.float32)
    logits[..., 1] = 1.0  # always predicts 1
    targets = np.array([[1, 2, -1], [1, -1, -1]])
    assert correct_and_count(Tensor(logits), Tensor(targets)) == (2, 3)
    assert correct_and_count(Tensor(logits[:, 0]), Tensor(np.array([1, 3]))) == (1, 2)


@pytest.mark.parametrize("call, message", [
    (lambda f, t: lm.load_text(t, "mlp"), "--model mlp reads a fixed context of a word"),
    (lambda f, t: lm.load_text(f, "cnn"), "unknown language model 'cnn'"),
    (lambda f, t: lm.make_optimizer("lion", None), "unknown optimizer 'lion'"),
    (lambda f, t: lm.sample_checkpoint(t), "is not a language-model checkpoint")],
    ids=["mlp-on-text", "model", "optimizer", "checkpoint"])
def test_errors_name_the_problem(names_file, text_file, tmp_path, call, message):
    from minigrad import serialization
    checkpoint = tmp_path / "plain.mg"
    serialization.save({"weights": Tensor(np.zeros(2))}, checkpoint)
    target = str(checkpoint) if "checkpoint" in message else text_file
    with pytest.raises(ValueError, match=message):
        call(names_file, target)
