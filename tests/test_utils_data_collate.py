"""default_collate: PyTorch's documented rule for each kind of sample."""
from collections import namedtuple

import numpy as np
import pytest

import minigrad as mg
from minigrad.utils.data import default_collate

Point = namedtuple("Point", ["x", "y"])


def test_tensors_and_arrays_are_stacked_along_a_new_first_dimension():
    tensors = [mg.tensor([1.0, 2.0]), mg.tensor([3.0, 4.0])]
    batch = default_collate(tensors)
    assert isinstance(batch, mg.Tensor) and batch.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    arrays = default_collate([np.zeros((2, 3), np.uint8), np.ones((2, 3), np.uint8)])
    assert arrays.shape == (2, 2, 3) and arrays.dtype == mg.uint8


@pytest.mark.parametrize("samples,dtype", [([1.5, 2.0], mg.float64),  # Python floats: doubles
                                           ([3, 4], mg.int64), ([True, False], mg.bool),
                                           ([np.float32(1), np.float32(2)], mg.float32)])
def test_numbers_become_a_tensor_of_their_kind(samples, dtype):
    batch = default_collate(samples)
    assert batch.dtype == dtype and batch.tolist() == [v.item() if hasattr(v, "item") else v
                                                      for v in samples]


def test_containers_are_collated_position_by_position():
    samples = [(mg.ones(2), 0, "a"), (mg.zeros(2), 1, "b")]
    images, labels, names = default_collate(samples)
    assert images.shape == (2, 2) and labels.tolist() == [0, 1] and names == ["a", "b"]
    assert isinstance(default_collate(samples), list)  # tuples give a list, as in PyTorch
    batch = default_collate([{"x": 1.0, "y": [1, 2]}, {"x": 2.0, "y": [3, 4]}])
    assert batch["x"].tolist() == [1.0, 2.0] and [t.tolist() for t in batch["y"]] == [[1, 3], [2, 4]]
    points = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert isinstance(points, Point) and points.x.tolist() == [1, 3]


@pytest.mark.parametrize("batch,error,message", [
    ([(1, 2), (3,)], RuntimeError, r"equal size; got lengths \[1, 2\]"),
    ([None, None], TypeError, "found NoneType"),
    ([], TypeError, "non-empty list of samples; got an empty one"),
    (mg.ones(2), TypeError, "non-empty list of samples; got Tensor"),
])
def test_errors_name_the_problem(batch, error, message):
    with pytest.raises(error, match=message):
        default_collate(batch)
