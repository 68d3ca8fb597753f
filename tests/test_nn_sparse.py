"""nn.Embedding: lookups, PyTorch's init and arguments, gradients (scatter-add, padding row,
frequency scaling, max_norm) against formulas computed here, and every error path."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from conftest import leaf

rng = np.random.default_rng(3)
INDICES = np.array([[0, 1, 1], [5, 1, 3]])


def test_init_is_standard_normal_with_the_padding_row_zeroed():
    layer = nn.Embedding(1000, 64, padding_idx=-1)
    assert layer.padding_idx == 999 and layer.weight.dtype == np.float32
    assert layer.weight.shape == (1000, 64) and layer.weight.requires_grad
    body = layer.weight.array[:-1]
    assert abs(body.mean()) < 0.01 and abs(body.std() - 1) < 0.01
    assert np.all(layer.weight.array[999] == 0)
    assert nn.Embedding(3, 2, dtype=mg.float64).weight.dtype == np.float64


@pytest.mark.parametrize("padding_idx,scale_grad_by_freq", [
    (None, False), (1, False), (None, True), (1, True)])
def test_lookup_and_gradient(padding_idx, scale_grad_by_freq):
    weight = rng.standard_normal((6, 4))
    layer = nn.Embedding.from_pretrained(leaf(weight), freeze=False, padding_idx=padding_idx,
                                         scale_grad_by_freq=scale_grad_by_freq)
    out = layer(mg.tensor(INDICES))
    np.testing.assert_array_equal(out.array, weight[INDICES])  # the padding row is kept as is
    upstream = rng.standard_normal((2, 3, 4))
    out.backward(mg.tensor(upstream))
    # d weight[r] = sum of the upstream rows that looked r up (/ count; 0 for padding_idx)
    expected = np.zeros_like(weight)
    counts = np.bincount(INDICES.ravel(), minlength=6)
    for position, row in np.ndenumerate(INDICES):
        factor = 1 / counts[row] if scale_grad_by_freq else 1.0
        expected[row] += upstream[position] * (0.0 if row == padding_idx else factor)
    np.testing.assert_allclose(layer.weight.grad.array, expected, rtol=1e-12)


@pytest.mark.parametrize("padding_idx,scale_grad_by_freq", [(None, False), (1, True)])
def test_gradcheck_and_gradgradcheck(padding_idx, scale_grad_by_freq):
    layer = nn.Embedding(6, 3, padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq,
                         dtype=mg.float64)
    indices = mg.tensor(INDICES)

    def lookup(weight):
        layer.weight = weight
        return layer(indices) ** 2  # squared, so the second derivative is not zero
    weight = leaf(rng.standard_normal((6, 3)))
    if padding_idx is None and not scale_grad_by_freq:
        assert mg.gradcheck(lookup, [weight])  # the other rows' gradients are altered on purpose
    assert mg.gradgradcheck(lookup, [weight])


@pytest.mark.parametrize("max_norm,norm_type", [(1.0, 2.0), (1.5, 1.0)])
def test_max_norm_renormalises_the_rows_looked_up_in_place(max_norm, norm_type):
    weight = rng.standard_normal((6, 4)) * 2
    layer = nn.Embedding.from_pretrained(mg.tensor(weight), max_norm=max_norm,
                                         norm_type=norm_type)
    out = layer(mg.tensor(INDICES))
    expected = weight.copy()
    for row in np.unique(INDICES):
        norm = np.sum(np.abs(weight[row]) ** norm_type) ** (1 / norm_type)
        if norm > max_norm:
            expected[row] = weight[row] * max_norm / (norm + 1e-7)
    np.testing.assert_allclose(layer.weight.array, expected, rtol=1e-12)
    np.testing.assert_allclose(out.array, expected[INDICES], rtol=1e-12)
    np.testing.assert_array_equal(layer.weight.array[[2, 4]], weight[[2, 4]])  # not looked up


def test_from_pretrained_freezes_by_default_and_keeps_the_values():
    weight = mg.tensor(rng.standard_normal((4, 2)))
    frozen = nn.Embedding.from_pretrained(weight, padding_idx=0)
    assert not frozen.weight.requires_grad and frozen.weight.dtype == np.float64
    np.testing.assert_array_equal(frozen.weight.array, weight.array)  # row 0 is not zeroed
    assert nn.Embedding.from_pretrained(weight, freeze=False).weight.requires_grad


@pytest.mark.parametrize("layer,text", [
    (nn.Embedding(10, 3), "Embedding(10, 3)"),
    (nn.Embedding(10, 3, padding_idx=-2, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True),
     "Embedding(10, 3, padding_idx=8, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)"),
])
def test_repr(layer, text):
    assert repr(layer) == text


@pytest.mark.parametrize("make,error,message", [
    (lambda: nn.Embedding(5, 2, padding_idx=5), ValueError, r"padding_idx \(5\) must be within"),
    (lambda: nn.Embedding(5, 2, padding_idx=-6), ValueError, r"padding_idx \(-6\)"),
    (lambda: nn.Embedding(5, 2, _weight=mg.zeros(5, 3)), ValueError, r"\(5, 3\) does not match"),
    (lambda: nn.Embedding.from_pretrained(mg.zeros(5)), ValueError, "2-dimensional.*\\(5,\\)"),
    (lambda: nn.Embedding(5, 2, device="cuda"), RuntimeError, "'cuda' is not supported"),
    (lambda: nn.Embedding(5, 2, dtype=mg.int64), TypeError, "floating dtype; got dtype=int64"),
    (lambda: nn.Embedding(5, 2)(mg.tensor([1.0])), RuntimeError, "Long, Int; but got float32"),
    (lambda: nn.Embedding(5, 2)(mg.tensor([[0, 5]])), IndexError, "index 5 is outside.*5 rows"),
    (lambda: nn.Embedding(5, 2)(mg.tensor([-1])), IndexError, "index -1 is outside"),
])
def test_errors_name_the_problem(make, error, message):
    with pytest.raises(error, match=message):
        make()
