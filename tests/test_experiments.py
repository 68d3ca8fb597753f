"""The recipes: the three-way data split and the rules for resuming a run."""
import os

import numpy as np
import pytest

from minigrad import experiments

CONFIG = {"model": "mlp", "optimizer": "adam", "lr": None, "scheduler": "cosine", "epochs": 4,
          "batch_size": 128, "seed": 0, "dataset": "mnist", "subset": None, "val_size": 5000}
NOT_GIVEN = dict.fromkeys(CONFIG)


@pytest.mark.skipif(not os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist")),
                    reason="needs MNIST")
def test_the_validation_images_are_the_last_of_the_training_set_and_never_trained_on():
    loaders = experiments.load_data("mnist", val_size=5000)
    assert len(loaders.train.dataset) == 55000 and len(loaders.val.dataset) == 5000
    assert len(loaders.test.dataset) == 10000
    np.testing.assert_array_equal(loaders.train.dataset.indices, np.arange(55000))
    np.testing.assert_array_equal(loaders.val.dataset.indices, np.arange(55000, 60000))
    quick = experiments.load_data("mnist", subset=1000, val_size=0)
    assert len(quick.train.dataset) == 1000 and quick.val is None
    assert len(quick.test.dataset) == 10000  # a --subset run is still tested on everything
    with pytest.raises(ValueError, match="val_size must be between 0 and 59999"):
        experiments.load_data("mnist", val_size=60000)


def test_resume_keeps_the_runs_configuration():
    config = experiments.resume_config(CONFIG, {**NOT_GIVEN, "model": "mlp", "lr": 1e-3},
                                       "ckpt.mg", 2)
    assert config == {**CONFIG, "data_root": None}


def test_resume_names_every_conflicting_option():
    with pytest.raises(ValueError) as info:
        experiments.resume_config(CONFIG, {**NOT_GIVEN, "optimizer": "sgd", "lr": 0.1,
                                           "model": "cnn", "val_size": 0}, "ckpt.mg", 2)
    message = str(info.value)
    for part in ("ckpt.mg", "--optimizer sgd (the run's: adam)", "--lr 0.1 (the run's: 0.001)",
                 "--model cnn (the run's: mlp)", "--val-size 0 (the run's: 5000)"):
        assert part in message


@pytest.mark.parametrize("scheduler", experiments.LENGTH_DEPENDENT_SCHEDULERS)
def test_a_schedule_sized_to_the_run_cannot_be_stretched(scheduler):
    with pytest.raises(ValueError, match=f"{scheduler} schedule was sized for 4 epochs"):
        experiments.resume_config({**CONFIG, "scheduler": scheduler},
                                  {**NOT_GIVEN, "epochs": 7}, "ckpt.mg", 4)


@pytest.mark.parametrize("scheduler", ["none", "exponential", "inverse-time", "plateau"])
def test_a_run_with_a_length_free_schedule_is_extended(scheduler):
    config = experiments.resume_config({**CONFIG, "scheduler": scheduler},
                                       {**NOT_GIVEN, "epochs": 7}, "ckpt.mg", 4)
    assert config["epochs"] == 7
    with pytest.raises(ValueError, match="has already trained 4 epochs"):
        experiments.resume_config({**CONFIG, "scheduler": scheduler},
                                  {**NOT_GIVEN, "epochs": 3}, "ckpt.mg", 4)


def test_a_run_saved_before_the_validation_split_resumes_without_one():
    old = {k: v for k, v in CONFIG.items() if k != "val_size"}
    assert experiments.resume_config(old, NOT_GIVEN, "ckpt.mg", 1)["val_size"] == 0
