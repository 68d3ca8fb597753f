"""A run's configuration: the rules for resuming a run."""
import pytest

from minigrad.recipes import choices, config as run_config

CONFIG = {"model": "mlp", "optimizer": "adam", "lr": None, "scheduler": "cosine", "epochs": 4,
          "batch_size": 128, "seed": 0, "dataset": "mnist", "subset": None, "val_size": 5000}
NOT_GIVEN = dict.fromkeys(CONFIG)


def test_resume_keeps_the_runs_configuration():
    config = run_config.resume_config(CONFIG, {**NOT_GIVEN, "model": "mlp", "lr": 1e-3},
                                       "ckpt.mg", 2)
    assert config == {**CONFIG, "data_root": None}


def test_resume_names_every_conflicting_option():
    with pytest.raises(ValueError) as info:
        run_config.resume_config(CONFIG, {**NOT_GIVEN, "optimizer": "sgd", "lr": 0.1,
                                           "model": "cnn", "val_size": 0}, "ckpt.mg", 2)
    message = str(info.value)
    for part in ("ckpt.mg", "--optimizer sgd (the run's: adam)", "--lr 0.1 (the run's: 0.001)",
                 "--model cnn (the run's: mlp)", "--val-size 0 (the run's: 5000)"):
        assert part in message


@pytest.mark.parametrize("scheduler", choices.LENGTH_DEPENDENT_SCHEDULERS)
def test_a_schedule_sized_to_the_run_cannot_be_stretched(scheduler):
    with pytest.raises(ValueError, match=f"{scheduler} schedule was sized for 4 epochs"):
        run_config.resume_config({**CONFIG, "scheduler": scheduler},
                                  {**NOT_GIVEN, "epochs": 7}, "ckpt.mg", 4)


@pytest.mark.parametrize("scheduler", ["none", "exponential", "inverse-time", "plateau"])
def test_a_run_with_a_length_free_schedule_is_extended(scheduler):
    config = run_config.resume_config({**CONFIG, "scheduler": scheduler},
                                       {**NOT_GIVEN, "epochs": 7}, "ckpt.mg", 4)
    assert config["epochs"] == 7
    with pytest.raises(ValueError, match="has already trained 4 epochs"):
        run_config.resume_config({**CONFIG, "scheduler": scheduler},
                                  {**NOT_GIVEN, "epochs": 3}, "ckpt.mg", 4)


def test_a_run_saved_before_the_validation_split_resumes_without_one():
    old = {k: v for k, v in CONFIG.items() if k != "val_size"}
    assert run_config.resume_config(old, NOT_GIVEN, "ckpt.mg", 1)["val_size"] == 0
