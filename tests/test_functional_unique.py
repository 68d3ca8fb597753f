"""torch.unique: distinct values, the inverse (input == output[inverse]) and counts."""
import numpy as np
import pytest

import minigrad as mg

VALUES = np.array([[3, 1, 3, 7], [1, 1, 2, 7]])


def test_unique_values_inverse_and_counts():
    values, inverse, counts = mg.unique(mg.tensor(VALUES), return_inverse=True,
                                        return_counts=True)
    assert values.tolist() == sorted(set(VALUES.ravel().tolist())) == [1, 2, 3, 7]
    assert inverse.shape == VALUES.shape and inverse.dtype == mg.int64
    np.testing.assert_array_equal(values.numpy()[inverse.numpy()], VALUES)  # the definition
    assert counts.tolist() == [int((VALUES == v).sum()) for v in values.tolist()]
    assert mg.tensor([2.5, -1.0, 2.5]).unique().tolist() == [-1.0, 2.5]  # the method
    assert not mg.tensor([1.0, 1.0], requires_grad=True).unique().requires_grad


def test_unique_rows_along_a_dimension():
    rows = mg.tensor([[1, 2], [0, 5], [1, 2]])
    values, inverse = mg.unique(rows, dim=0, return_inverse=True)
    assert values.tolist() == [[0, 5], [1, 2]] and inverse.tolist() == [1, 0, 1]
    columns, counts = rows.unique(dim=1, return_counts=True)
    assert columns.tolist() == [[1, 2], [0, 5], [1, 2]] and counts.tolist() == [1, 1]
    with pytest.raises(IndexError, match="dim 2 is out of range for a tensor of 2 dimensions"):
        mg.unique(rows, dim=2)
