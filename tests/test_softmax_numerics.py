"""log_softmax, logsumexp and the fused cross-entropy on float32 logits of huge magnitude,
forward and backward, against references computed in float64 from the same float32 values."""
import numpy as np
import pytest

import minigrad as mg
from minigrad.nn import functional as F


def rows():
    """float32 logits up to 1e30: ties of huge values, mixed magnitudes, random scales."""
    rng = np.random.default_rng(0)
    fixed = [
        [1e8, 1e8, 1e8, 1e8, 0.0],
        [1e8, 1e8, -3.0, 5.0, 1e8 - 8],
        [-6e4, -1.0, 0.0, 7.5, 1e30],
        [1e30, 1e30, 1e30, -1e30, 1e29],
        [3e7, 3e7 + 2, 3e7 + 4, 3e7 - 2, 3e7],
        [-1e30, -1e30, -1e30, -1e30, -1e30],
    ]
    scaled = [rng.standard_normal(5) * 10.0 ** rng.integers(0, 31) for _ in range(20)]
    return np.array(fixed + scaled, dtype=np.float32)


def reference_log_softmax(z32):
    z = z32.astype(np.float64)
    m = z.max(1, keepdims=True)
    return (z - m) - np.log(np.exp(z - m).sum(1, keepdims=True))


def assert_close_float32(got, want, what):
    # A few float32 roundings of the result itself, and no more.
    tolerance = 1e-6 + 4 * np.finfo(np.float32).eps * np.abs(want)
    error = np.abs(got.astype(np.float64) - want)
    worst = np.unravel_index(np.argmax(error - tolerance), error.shape)
    assert np.all(error <= tolerance), (f"{what}: at {worst} got {got[worst]!r}, float64 "
                                        f"reference {want[worst]!r}")


def test_log_softmax_forward_and_backward_match_float64():
    z32 = rows()
    x = mg.tensor(z32, requires_grad=True)
    out = x.log_softmax(1)
    reference = reference_log_softmax(z32)
    assert_close_float32(out.array, reference, "log_softmax")
    upstream = np.random.default_rng(1).standard_normal(z32.shape).astype(np.float32)
    out.backward(mg.tensor(upstream))
    p = np.exp(reference)
    want = upstream - p * upstream.astype(np.float64).sum(1, keepdims=True)
    assert_close_float32(x.grad.array, want, "d log_softmax")


def test_log_softmax_of_two_equal_huge_logits_is_minus_ln_2():
    out = mg.tensor(np.array([[1e8, 1e8]], dtype=np.float32)).log_softmax(1)
    np.testing.assert_allclose(out.array, -np.log(2), rtol=1e-6)


@pytest.mark.parametrize("dim", [1, -1, 0])
def test_logsumexp_forward_and_backward_match_float64(dim):
    z32 = rows()
    x = mg.tensor(z32, requires_grad=True)
    out = x.logsumexp(dim)
    z = z32.astype(np.float64)
    m = z.max(dim, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(dim, keepdims=True))
    assert_close_float32(out.array, np.squeeze(lse, dim), "logsumexp")
    out.sum().backward()
    # d logsumexp / dz = softmax(z); k tied maxima far above the rest get 1/k each.
    assert_close_float32(x.grad.array, np.exp(z - m) / np.exp(z - m).sum(dim, keepdims=True),
                         "d logsumexp")


def test_logsumexp_gives_each_tied_maximum_one_kth():
    x = mg.tensor(np.full((2, 4), 1e8, dtype=np.float32), requires_grad=True)
    x.logsumexp(1).sum().backward()
    np.testing.assert_array_equal(x.grad.array, np.full((2, 4), 0.25, dtype=np.float32))


def test_logsumexp_over_several_dims_matches_pytorch_shapes():
    x = mg.tensor(np.full((2, 4, 3), 1e8, dtype=np.float32), requires_grad=True)
    out = x.logsumexp((1, 2))
    assert out.shape == (2,)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.array, 1 / 12, rtol=1e-6)


@pytest.mark.parametrize("reduction", ["none", "sum"])
def test_fused_cross_entropy_matches_float64(reduction):
    z32 = rows()
    target = np.arange(len(z32)) % z32.shape[1]
    x = mg.tensor(z32, requires_grad=True)
    loss = F.cross_entropy(x, mg.tensor(target), reduction=reduction)
    log_p = reference_log_softmax(z32)
    losses = -log_p[np.arange(len(z32)), target]
    if reduction == "none":
        assert_close_float32(loss.array, losses, "cross_entropy")
        loss.sum().backward()
    else:
        np.testing.assert_allclose(float(loss.item()), losses.sum(), rtol=1e-6)
        loss.backward()
    want = np.exp(log_p)
    want[np.arange(len(z32)), target] -= 1
    assert_close_float32(x.grad.array, want, "d cross_entropy")
