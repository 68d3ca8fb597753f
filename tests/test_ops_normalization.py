"""The fused layer normalisation primitive: forward against the formula in float64, the fast
backward against finite differences, the differentiable backward (create_graph) equal to the
fast one, second derivatives, and several trailing dimensions."""
import numpy as np
import pytest

import minigrad as mg
from minigrad.ops.normalization import LayerNormalize
from conftest import leaf

rng = np.random.default_rng(23)


@pytest.mark.parametrize("shape,ndim", [((4, 5), 1), ((2, 3, 4), 2), ((3, 1), 1)])
def test_forward_gradients_and_second_derivatives(shape, ndim):
    x = rng.standard_normal(shape) * 3 + 1
    axes = tuple(range(len(shape) - ndim, len(shape)))
    centered = x - x.mean(axis=axes, keepdims=True)
    expected = centered / np.sqrt((centered ** 2).mean(axis=axes, keepdims=True) + 1e-5)

    def normalize(t):
        return LayerNormalize.apply(t, ndim=ndim, eps=1e-5)
    np.testing.assert_allclose(normalize(leaf(x)).array, expected, rtol=1e-12, atol=1e-12)
    upstream = mg.tensor(rng.standard_normal(shape))
    first, second = leaf(x), leaf(x)
    fast, = mg.autograd.grad(normalize(first), [first], upstream)
    slow, = mg.autograd.grad(normalize(second), [second], upstream, create_graph=True)
    assert slow.requires_grad
    np.testing.assert_allclose(fast.array, slow.array, rtol=1e-10, atol=1e-12)
    assert mg.gradcheck(normalize, [leaf(x)])
    assert mg.gradgradcheck(normalize, [leaf(x)])
