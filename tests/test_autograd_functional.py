"""minigrad.autograd.functional against closed forms and central finite differences."""
import numpy as np
import pytest

import minigrad as mg
from minigrad.autograd import functional as F

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4))
X0, Y0 = RNG.standard_normal(4), RNG.standard_normal(2)


def f_vector(x, y):  # R^4 x R^2 -> R^3 and R
    return (mg.Tensor(A) @ x).tanh() * y.sum(), (x * x).sum() * y[0]


def f_scalar(x, y):
    return (x ** 3).sum() * y.sum() + (x * y[0]).sum()


def numeric_jacobian(f, arrays, out_index, in_index, eps=1e-6):
    """Central differences, column by column: d out / d input[in_index][k]."""
    columns = []
    for k in range(arrays[in_index].size):
        plus = [a.copy() for a in arrays]
        minus = [a.copy() for a in arrays]
        plus[in_index].reshape(-1)[k] += eps
        minus[in_index].reshape(-1)[k] -= eps
        f_plus = f(*[mg.Tensor(a) for a in plus])[out_index].array
        f_minus = f(*[mg.Tensor(a) for a in minus])[out_index].array
        columns.append(((f_plus - f_minus) / (2 * eps)).reshape(-1))
    return np.stack(columns, axis=1)


def test_jacobian_of_tuples_matches_finite_differences():
    jac = F.jacobian(f_vector, (mg.Tensor(X0), mg.Tensor(Y0)))
    assert len(jac) == 2 and all(len(row) == 2 for row in jac)
    for i, shape in enumerate([(3,), ()]):
        for j, x in enumerate([X0, Y0]):
            assert jac[i][j].shape == shape + x.shape
            expected = numeric_jacobian(f_vector, [X0, Y0], i, j)
            np.testing.assert_allclose(jac[i][j].array.reshape(expected.shape), expected,
                                       rtol=1e-6, atol=1e-8)


def test_jacobian_closed_form_and_single_tensor_shapes():
    x = mg.Tensor(X0)
    jac = F.jacobian(lambda t: mg.Tensor(A) @ t, x)
    assert isinstance(jac, mg.Tensor) and not jac.requires_grad
    np.testing.assert_array_equal(jac.array, A)
    square = F.jacobian(lambda t: (t * t).reshape(2, 2), x)
    assert square.shape == (2, 2, 4)
    np.testing.assert_allclose(square.array.reshape(4, 4), np.diag(2 * X0))


def test_hessian_closed_form():
    # f = x^T M x / 2 has H = (M + M^T) / 2; f_scalar's blocks are written out below.
    m = RNG.standard_normal((4, 4))
    h = F.hessian(lambda t: 0.5 * (t @ mg.Tensor(m) @ t), mg.Tensor(X0))
    np.testing.assert_allclose(h.array, (m + m.T) / 2, rtol=1e-12)
    blocks = F.hessian(f_scalar, (mg.Tensor(X0), mg.Tensor(Y0)))
    s = Y0.sum()
    np.testing.assert_allclose(blocks[0][0].array, np.diag(6 * X0 * s), rtol=1e-12)
    cross = np.stack([3 * X0 ** 2 + 1, 3 * X0 ** 2], axis=1)  # d2f / dx dy
    np.testing.assert_allclose(blocks[0][1].array, cross, rtol=1e-12)
    np.testing.assert_allclose(blocks[1][0].array, cross.T, rtol=1e-12)
    np.testing.assert_array_equal(blocks[1][1].array, np.zeros((2, 2)))


@pytest.mark.parametrize("name", ["hvp", "vhp"])
def test_hessian_vector_products_match_finite_differences_of_the_gradient(name):
    v = (RNG.standard_normal(4), RNG.standard_normal(2))
    value, product = getattr(F, name)(f_scalar, (mg.Tensor(X0), mg.Tensor(Y0)),
                                      tuple(mg.Tensor(t) for t in v))
    np.testing.assert_allclose(value.array, (X0 ** 3).sum() * Y0.sum() + (X0 * Y0[0]).sum())

    def gradient(x, y):
        return F.vjp(f_scalar, (mg.Tensor(x), mg.Tensor(y)))[1]

    eps = 1e-6  # H v = (g(x + eps v) - g(x - eps v)) / (2 eps)
    plus = gradient(X0 + eps * v[0], Y0 + eps * v[1])
    minus = gradient(X0 - eps * v[0], Y0 - eps * v[1])
    for p, a, b in zip(product, plus, minus):
        np.testing.assert_allclose(p.array, (a.array - b.array) / (2 * eps), rtol=1e-6, atol=1e-8)


def test_jvp_and_vjp_agree_with_the_jacobian():
    x, y = mg.Tensor(X0), mg.Tensor(Y0)
    jac = F.jacobian(f_vector, (x, y))
    v = (RNG.standard_normal(4), RNG.standard_normal(2))
    _, jv = F.jvp(f_vector, (x, y), tuple(mg.Tensor(t) for t in v))
    for i in range(2):
        expected = sum(jac[i][j].array.reshape(-1, v[j].size) @ v[j] for j in range(2))
        np.testing.assert_allclose(jv[i].array.reshape(-1), expected, rtol=1e-12)
    u = (RNG.standard_normal(3), np.array(0.7))
    outputs, uj = F.vjp(f_vector, (x, y), tuple(mg.Tensor(t) for t in u))
    assert not outputs[0].requires_grad
    for j in range(2):
        expected = u[0] @ jac[0][j].array + u[1] * jac[1][j].array
        np.testing.assert_allclose(uj[j].array, expected, rtol=1e-12)


def test_unused_inputs_give_zeros_or_the_strict_error():
    x, y = mg.Tensor(X0), mg.Tensor(Y0)
    jac = F.jacobian(lambda a, b: a * 2.0, (x, y))
    np.testing.assert_array_equal(jac[1].array, np.zeros((4, 2)))
    with pytest.raises(RuntimeError, match="independent of input 1.*strict mode"):
        F.jacobian(lambda a, b: a * 2.0, (x, y), strict=True)
    _, product = F.jvp(lambda a: a.sum() * 0.0 + 1.0, x, mg.Tensor(np.ones(4)))
    assert product.item() == 0.0


def test_create_graph_gives_differentiable_results():
    x = mg.Tensor(X0, requires_grad=True)
    _, product = F.hvp(lambda t: (t ** 3).sum(), x, mg.Tensor(np.ones(4)), create_graph=True)
    assert product.requires_grad  # H 1 = 6 x, so d(sum)/dx = 6
    product.sum().backward()
    np.testing.assert_allclose(x.grad.array, np.full(4, 6.0))


def test_bad_arguments_are_named():
    x = mg.Tensor(X0)
    with pytest.raises(TypeError, match="inputs given to jacobian.*index 0 has type list"):
        F.jacobian(lambda t: t, [[1.0]])
    with pytest.raises(RuntimeError, match="v can only be None.*single element"):
        F.vjp(lambda t: t * 2.0, x)
    with pytest.raises(RuntimeError, match=r"v\[0\] has shape \(3,\).*shape \(4,\)"):
        F.hvp(lambda t: (t * t).sum(), x, mg.Tensor(np.ones(3)))
    with pytest.raises(RuntimeError, match="hessian should return a single Tensor"):
        F.hessian(lambda t: t * 2.0, x)
    with pytest.raises(TypeError, match="input 0 has dtype int64: only floating-point"):
        F.jacobian(lambda t: t * 2, mg.Tensor(np.arange(3)))
    with pytest.raises(NotImplementedError, match="reverse mode only"):
        F.jacobian(lambda t: t, x, strategy="forward-mode")
