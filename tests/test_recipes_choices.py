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
