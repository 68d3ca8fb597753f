"""The choices by name: the three-way data split of a data set."""
import os

import numpy as np
import pytest

from minigrad.recipes import choices


@pytest.mark.skipif(not os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist")),
                    reason="needs MNIST")
def test_the_validation_images_are_the_last_of_the_training_set_and_never_trained_on():
    loaders = choices.load_data("mnist", val_size=5000)
    assert len(loaders.train.dataset) == 55000 and len(loaders.val.dataset) == 5000
    assert len(loaders.test.dataset) == 10000
    np.testing.assert_array_equal(loaders.train.dataset.indices, np.arange(55000))
    np.testing.assert_array_equal(loaders.val.dataset.indices, np.arange(55000, 60000))
    quick = choices.load_data("mnist", subset=1000, val_size=0)
    assert len(quick.train.dataset) == 1000 and quick.val is None
    assert len(quick.test.dataset) == 10000  # a --subset run is still tested on everything
    with pytest.raises(ValueError, match="val_size must be between 0 and 59999"):
        choices.load_data("mnist", val_size=60000)
    # A subset larger than the training split is refused, naming the size there is.
    with pytest.raises(ValueError, match=r"^--subset 100000: the training split has only "
                       r"55,000 images \(60,000 training images minus the 5,000 held out"):
        choices.load_data("mnist", subset=100000)
    with pytest.raises(ValueError, match="--subset 60000: the training split has only 59,000"):
        choices.load_data("mnist", subset=60000, val_size=1000)
    assert len(choices.load_data("mnist", subset=55000).train.dataset) == 55000  # all of it


def lrs_over(name, epochs, **options):
    """The learning rate of each epoch under the named schedule (start 1.0)."""
    import minigrad as mg
    optimizer = mg.optim.SGD([mg.nn.Parameter(np.zeros(1))], lr=1.0)
    scheduler, _ = choices.make_scheduler(name, optimizer, epochs, 10, **options)
    rates = []
    for _ in range(epochs):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()  # PyTorch's order: the optimizer's step, then the schedule's
        scheduler.step()
    return rates


@pytest.mark.parametrize("name,epochs,options,expected", [
    # step: x gamma every max(1, epochs // 3) epochs (so every epoch in short runs)
    ("step", 3, {}, [1.0, 0.1, 0.01]),
    ("step", 9, {"gamma": 0.5}, [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]),
    # multistep: x gamma at each milestone (default: half and three quarters of the run)
    ("multistep", 8, {}, [1, 1, 1, 1, 0.1, 0.1, 0.01, 0.01]),
    ("multistep", 5, {"milestones": [1, 3], "gamma": 0.5}, [1, 0.5, 0.5, 0.25, 0.25]),
    ("exponential", 3, {"gamma": 0.5}, [1, 0.5, 0.25]),
    ("exponential", 3, {}, [1, 0.8, 0.64]),
])
def test_schedules_follow_their_help_with_milestones_and_gamma(name, epochs, options, expected):
    np.testing.assert_allclose(lrs_over(name, epochs, **options), expected, rtol=1e-12)
    assert name in choices.SCHEDULER_HELP


def test_schedule_values_a_schedule_has_no_use_for_are_refused():
    with pytest.raises(ValueError, match="--gamma applies to --scheduler step, multistep, "
                                         "exponential, not cosine"):
        lrs_over("cosine", 2, gamma=0.5)
    with pytest.raises(ValueError, match="--milestones applies to --scheduler multistep, not step"):
        lrs_over("step", 2, milestones=[1])
