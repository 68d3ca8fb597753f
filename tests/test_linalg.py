"""minigrad.linalg: norms against their definitions, inv / solve / det against the equations
that define them (A A^-1 = I, A X = B, Leibniz's formula), gradients by gradcheck and
against the closed forms."""
import itertools
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import linalg
from conftest import leaf

rng = np.random.default_rng(24)
X = rng.standard_normal((3, 4, 5))


def well_conditioned(n, batch=()):
    return rng.standard_normal(batch + (n, n)) + 3 * np.eye(n)


@pytest.mark.parametrize("ord,dim,reference", [
    (2, None, lambda x: np.sqrt((x ** 2).sum())),
    (2, -1, lambda x: np.sqrt((x ** 2).sum(-1))),
    (1, (0, 2), lambda x: np.abs(x).sum((0, 2))),
    (3, 1, lambda x: (np.abs(x) ** 3).sum(1) ** (1 / 3)),
    (0.5, 1, lambda x: (np.abs(x) ** 0.5).sum(1) ** 2),
    (math.inf, 2, lambda x: np.abs(x).max(2)),
    (-math.inf, 2, lambda x: np.abs(x).min(2)),
    (0, 1, lambda x: (x != 0).sum(1).astype(float)),
])
def test_vector_norm_matches_its_definition(ord, dim, reference):
    x = X.copy()
    x[0, 0, 0] = 0.0
    np.testing.assert_allclose(linalg.vector_norm(leaf(x), ord, dim).array, reference(x),
                               rtol=1e-12)
    kept = linalg.vector_norm(leaf(x), ord, dim, keepdim=True)
    assert kept.shape == np.asarray(reference(x)).reshape(
        [1 if dim is None or i in np.atleast_1d(dim) % 3 else n for i, n in enumerate(x.shape)]
    ).shape
    if ord != 0:
        assert mg.gradcheck(lambda t: linalg.vector_norm(t, ord, dim), [leaf(X)])


def test_the_gradient_of_a_norm_at_zero_is_zero_not_nan():
    for ord in (2, 3):
        zero = leaf(np.zeros((2, 3)))
        linalg.vector_norm(zero, ord, 1).sum().backward()
        np.testing.assert_array_equal(zero.grad.array, np.zeros((2, 3)))


@pytest.mark.parametrize("ord,reference", [
    ("fro", lambda a: np.sqrt((a ** 2).sum((-2, -1)))),
    (1, lambda a: np.abs(a).sum(-2).max(-1)),
    (-1, lambda a: np.abs(a).sum(-2).min(-1)),
    (math.inf, lambda a: np.abs(a).sum(-1).max(-1)),
    (-math.inf, lambda a: np.abs(a).sum(-1).min(-1)),
])
def test_matrix_norms_match_their_definitions(ord, reference):
    np.testing.assert_allclose(linalg.matrix_norm(leaf(X), ord).array, reference(X), rtol=1e-12)
    assert linalg.matrix_norm(leaf(X), ord, keepdim=True).shape == (3, 1, 1)
    assert mg.gradcheck(lambda t: linalg.matrix_norm(t, ord), [leaf(X)])


def test_norm_dispatches_like_pytorch():
    vector, matrix = X[0, 0], X[0]
    assert linalg.norm(leaf(X)).item() == pytest.approx(np.sqrt((X ** 2).sum()))  # flattened
    assert linalg.norm(leaf(vector), 1).item() == pytest.approx(np.abs(vector).sum())
    assert linalg.norm(leaf(matrix), math.inf).item() == pytest.approx(
        np.abs(matrix).sum(1).max())  # 2-D with an ord: a matrix norm
    np.testing.assert_allclose(linalg.norm(leaf(X), 1, dim=(1, 2)).array,
                               np.abs(X).sum(1).max(1), rtol=1e-12)
    np.testing.assert_allclose(linalg.norm(leaf(X), dim=2).array, np.sqrt((X ** 2).sum(2)),
                               rtol=1e-12)


@pytest.mark.parametrize("call,error,message", [
    (lambda: linalg.matrix_norm(leaf(X), 2), ValueError, "2, -2 and 'nuc' need an SVD"),
    (lambda: linalg.matrix_norm(leaf(X), "fro", dim=(1, 1)), ValueError, "must be different"),
    (lambda: linalg.matrix_norm(leaf(X), "fro", dim=1), ValueError, "dim must be a 2-tuple"),
    (lambda: linalg.norm(leaf(X), 1), ValueError, r"A must be 1-D or 2-D; got shape \(3, 4, 5\)"),
    (lambda: linalg.vector_norm(mg.tensor([1, 2])), TypeError, "floating point input; got int"),
    (lambda: linalg.inv(leaf(X)), ValueError, r"square matrices, but got shape \(3, 4, 5\)"),
    (lambda: linalg.inv(leaf(np.ones((2, 2)))), linalg.LinAlgError, "singular"),
    (lambda: linalg.solve(leaf(np.eye(3)), leaf(np.ones((2, 1)))), ValueError,
     r"B of shape \(2, 1\) does not match A of shape \(3, 3\)"),
    (lambda: linalg.inv(leaf(np.eye(2)), out=mg.zeros(2, 2)), ValueError, "out= is not supported"),
])
def test_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("batch", [(), (2,)])
def test_inverse_is_the_inverse_and_its_gradient_is_the_closed_form(batch):
    a = well_conditioned(3, batch)
    inverse = linalg.inv(leaf(a)).array
    np.testing.assert_allclose(a @ inverse, np.broadcast_to(np.eye(3), a.shape), atol=1e-12)
    # d<G, A^-1> / dA = -A^-T G A^-T
    g = rng.standard_normal(a.shape)
    source = leaf(a)
    (linalg.inv(source) * mg.tensor(g)).sum().backward()
    inverse_t = np.swapaxes(inverse, -1, -2)
    np.testing.assert_allclose(source.grad.array, -inverse_t @ g @ inverse_t, rtol=1e-10)
    assert mg.gradcheck(linalg.inv, [leaf(a)])
    assert mg.gradgradcheck(linalg.inv, [leaf(a)])


@pytest.mark.parametrize("b_shape,left", [((3, 2), True), ((3,), True), ((2, 3), True),
                                          ((4, 3), False)])
def test_solve_solves_and_gradchecks(b_shape, left):
    a = well_conditioned(3, (2,) if b_shape == (2, 3) else ())
    b = rng.standard_normal(b_shape)
    x = linalg.solve(leaf(a), leaf(b), left=left).array
    if not left:
        np.testing.assert_allclose(x @ a, b, atol=1e-12)
    elif b.ndim == a.ndim - 1:  # a batch of vectors
        np.testing.assert_allclose((a @ x[..., None])[..., 0], b, atol=1e-12)
    else:
        np.testing.assert_allclose(a @ x, b, atol=1e-12)
    assert mg.gradcheck(lambda s, t: linalg.solve(s, t, left=left), [leaf(a), leaf(b)])


def leibniz_det(a):
    """sum over permutations s of sign(s) prod_i a[i, s(i)]."""
    n, total = len(a), 0.0
    for perm in itertools.permutations(range(n)):
        inversions = sum(perm[i] > perm[j] for i in range(n) for j in range(i + 1, n))
        total += (-1) ** inversions * np.prod([a[i, perm[i]] for i in range(n)])
    return total


def test_determinant_matches_leibniz_and_jacobis_gradient():
    a = rng.standard_normal((2, 3, 3))
    np.testing.assert_allclose(linalg.det(leaf(a)).array, [leibniz_det(m) for m in a], rtol=1e-12)
    source = leaf(a[0])
    linalg.det(source).backward()
    # Jacobi: d det(A) / dA = det(A) A^-T, here by cofactors via the definition's derivative
    cofactors = np.array([[(-1) ** (i + j) * leibniz_det(np.delete(np.delete(a[0], i, 0), j, 1))
                           for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(source.grad.array, cofactors, rtol=1e-10)
    assert mg.gradcheck(linalg.det, [leaf(a)])


def test_torch_linalg_is_this_module():
    assert mg.linalg is linalg
