"""A run's configuration: the rules for resuming a run."""
import pytest

import minigrad as mg
from minigrad.recipes import choices, config as run_config

CONFIG = {"model": "mlp", "optimizer": "adam", "lr": None, "scheduler": "cosine", "epochs": 4,
          "batch_size": 128, "seed": 0, "dataset": "mnist", "subset": None, "val_size": 5000}
NOT_GIVEN = dict.fromkeys(CONFIG)


def test_resume_keeps_the_runs_configuration():
    config = run_config.resume_config(CONFIG, {**NOT_GIVEN, "model": "mlp", "lr": 1e-3},
                                       "ckpt.mg", 2)
    # A run saved before --milestones/--gamma existed had neither.
    assert config == {**CONFIG, "milestones": None, "gamma": None, "data_root": None}


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


@pytest.mark.parametrize("saved_world,world,how", [
    (2, 1, "resume it with mpiexec -n 2 minigrad train --resume"),
    (1, 2, "resume it without mpiexec"),
    (2, 4, "resume it with mpiexec -n 2"),
])
def test_resuming_on_another_number_of_processes_is_refused_before_anything_is_written(
        tmp_path, saved_world, world, how):
    checkpoint = tmp_path / "run" / "checkpoint-epoch001.mg"
    checkpoint.parent.mkdir()
    mg.save({"epoch": 1, "metadata": {"config": {**CONFIG, "world_size": saved_world}}},
            checkpoint)
    before = sorted(p.name for p in checkpoint.parent.iterdir())
    with pytest.raises(run_config.ResumeConflict) as info:
        run_config.configure_run(NOT_GIVEN, str(checkpoint), world_size=world)
    message = str(info.value)
    processes = {1: "one process", 2: "2 processes", 4: "4 processes"}
    assert message.startswith(f"{checkpoint} belongs to a run on {processes[saved_world]} "
                              f"(global batch {128 * saved_world} = {saved_world} x 128); "
                              f"resuming it on {processes[world]} would train at global "
                              f"batch {128 * world}")
    assert how in message
    assert sorted(p.name for p in checkpoint.parent.iterdir()) == before
    # The same number of processes continues the run.
    config, out = run_config.configure_run(NOT_GIVEN, str(checkpoint), world_size=saved_world)
    assert config["world_size"] == saved_world and out == str(checkpoint.parent)


def test_a_run_saved_before_the_world_size_was_recorded_resumes_anywhere():
    assert run_config.resume_config(CONFIG, NOT_GIVEN, "ckpt.mg", 1, world_size=2)["epochs"] == 4


@pytest.mark.parametrize("scheduler,milestones,gamma,message", [
    ("cosine", [2], None, "--milestones applies to --scheduler multistep, not cosine"),
    ("cosine", None, 0.5, "--gamma applies to --scheduler step, multistep, exponential, not "
                          "cosine"),
    ("multistep", [3, 2], None, "--milestones must increase, got 3,2"),
])
def test_schedule_values_the_schedule_cannot_use_are_refused(tmp_path, scheduler, milestones,
                                                              gamma, message):
    requested = {**NOT_GIVEN, "scheduler": scheduler, "milestones": milestones, "gamma": gamma}
    with pytest.raises(ValueError, match=message):
        run_config.configure_run(requested, out=str(tmp_path / "run"))


def test_milestones_and_gamma_are_part_of_the_run_and_checked_on_resume(tmp_path):
    requested = {**NOT_GIVEN, "scheduler": "multistep", "milestones": [2, 3], "gamma": 0.5}
    config, _ = run_config.configure_run(requested, out=str(tmp_path / "run"))
    assert (config["scheduler"], config["milestones"], config["gamma"]) == ("multistep", [2, 3],
                                                                            0.5)
    with pytest.raises(run_config.ResumeConflict, match=r"--gamma 0.1 \(the run's: 0.5\)"):
        run_config.resume_config(config, {**NOT_GIVEN, "gamma": 0.1}, "ckpt.mg", 1)
    with pytest.raises(run_config.ResumeConflict, match=r"--milestones \[1\] \(the run's: None\)"):
        run_config.resume_config(CONFIG, {**NOT_GIVEN, "milestones": [1]}, "ckpt.mg", 1)
