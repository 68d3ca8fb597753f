"""normalize, cosine_similarity and pairwise_distance against their formulas in float64."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(31)
A, B = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1)])
def test_normalize_divides_by_the_p_norm(p, dim):
    norm = (np.abs(A) ** p).sum(dim, keepdims=True) ** (1 / p)
    np.testing.assert_allclose(F.normalize(leaf(A), p, dim).array, A / norm, rtol=1e-12)
    assert mg.gradcheck(lambda t: F.normalize(t, p, dim), [leaf(A)])


def test_normalize_keeps_a_zero_vector_at_zero_with_a_finite_gradient():
    x = leaf(np.vstack([np.zeros(3), [3.0, 4.0, 0.0]]))
    out = F.normalize(x)
    np.testing.assert_allclose(out.array, [[0, 0, 0], [0.6, 0.8, 0]], rtol=1e-12)
    out.sum().backward()
    assert np.all(np.isfinite(x.grad.array))
    np.testing.assert_allclose(x.grad.array[0], 1e12)  # d(v / eps)/dv on the zero row


def test_cosine_similarity_matches_the_formula_and_bounds_each_norm_by_eps():
    expected = (A * B).sum(1) / (np.linalg.norm(A, axis=1) * np.linalg.norm(B, axis=1))
    layer = nn.CosineSimilarity()
    np.testing.assert_allclose(layer(leaf(A), leaf(B)).array, expected, rtol=1e-12)
    assert mg.gradcheck(layer, [leaf(A), leaf(B)])
    # Broadcasting, along dim 0
    np.testing.assert_allclose(F.cosine_similarity(leaf(A), leaf(B[:1]), dim=1).array,
                               (A * B[0]).sum(1) / np.linalg.norm(A, axis=1)
                               / np.linalg.norm(B[0]), rtol=1e-12)
    # PyTorch 2: x1 . x2 / (max(|x1|, eps) max(|x2|, eps)); a tiny vector's norm becomes eps.
    tiny = F.cosine_similarity(leaf([[1e-3, 0.0]]), leaf([[1e-3, 0.0]]), eps=1e-2)
    assert tiny.item() == pytest.approx(1e-6 / (1e-2 * 1e-2))
    with pytest.raises(ValueError, match=r"shapes \(4, 5\) and \(3, 5\) do not broadcast"):
        F.cosine_similarity(leaf(A), leaf(B[:3]))


def test_pairwise_distance_adds_eps_to_the_difference():
    layer = nn.PairwiseDistance(p=2.0, eps=1e-6, keepdim=True)
    expected = np.sqrt(((A - B + 1e-6) ** 2).sum(-1, keepdims=True))
    np.testing.assert_allclose(layer(leaf(A), leaf(B)).array, expected, rtol=1e-12)
    assert F.pairwise_distance(leaf(A), leaf(A)).array == pytest.approx(np.full(4, 1e-6 * 5 ** .5))
    assert mg.gradcheck(nn.PairwiseDistance(1.5), [leaf(A), leaf(B)])
