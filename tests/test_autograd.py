"""The engine: graph walk, accumulation, graph release, grad(), higher order, grad mode."""
import time
import warnings

import numpy as np
import pytest

import minigrad as mg
from conftest import leaf


def test_chain_of_100000_ops_backpropagates_without_recursion():
    x = leaf([1.0, 2.0])
    y = x
    for _ in range(100_000):
        y = y * 1.0
    start = time.perf_counter()
    y.sum().backward()
    assert time.perf_counter() - start < 30  # linear time; recursion would have crashed
    np.testing.assert_array_equal(x.grad.array, [1.0, 1.0])


def test_diamond_graph_accumulates_every_path():
    x = leaf(3.0)
    a, b = x * 2.0, x * x      # x feeds two branches, and x * x uses x twice
    (a * b + b).backward()     # d/dx (2x^3 + x^2) = 6x^2 + 2x
    assert x.grad.item() == pytest.approx(6 * 9 + 6)


def test_backward_twice_with_retain_graph_accumulates():
    x = leaf([1.0, -2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad.array, 2 * 2 * np.array([1.0, -2.0]))


def test_second_backward_through_released_graph_is_a_clear_error():
    x = leaf([1.0])
    y = (x.exp() * 2.0).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_backward_on_shared_released_trunk_changes_no_grad():
    x = leaf([1.0, 2.0])
    trunk = x.exp()
    first, second = trunk.sum(), (trunk * 2.0).sum()
    first.backward()
    grad_before = x.grad.array.copy()
    with pytest.raises(RuntimeError, match="second time"):
        second.backward()
    np.testing.assert_array_equal(x.grad.array, grad_before)


def test_non_scalar_backward_needs_gradient_and_checks_its_shape():
    y = leaf([1.0, 2.0]) * 2.0
    with pytest.raises(RuntimeError, match=r"only for scalar outputs.*shape \(2,\)"):
        y.backward()
    with pytest.raises(RuntimeError, match=r"gradient has shape \(3,\) but the output has shape \(2,\)"):
        y.backward(mg.ones(3, dtype=np.float64))


def test_backward_with_explicit_gradient_is_a_vector_jacobian_product():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).backward(mg.tensor([1.0, 0.5, 0.0], dtype=np.float64))
    np.testing.assert_allclose(x.grad.array, [2.0, 2.0, 0.0])


def test_backward_on_tensor_without_grad_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        mg.ones(2).sum().backward()


def test_grad_returns_gradients_without_touching_dot_grad():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    gx, gw = mg.grad((x * w).sum(), [x, w])
    np.testing.assert_array_equal(gx.array, [3.0, 4.0])
    np.testing.assert_array_equal(gw.array, [1.0, 2.0])
    assert x.grad is None and w.grad is None


def test_grad_of_unused_input_is_an_error_unless_allowed():
    x, unused = leaf([1.0]), leaf([2.0])
    with pytest.raises(RuntimeError, match="input 1 of grad.. was not used"):
        mg.grad((x * 2.0).sum(), [x, unused], retain_graph=True)
    assert mg.grad((x * 2.0).sum(), [x, unused], allow_unused=True)[1] is None


def test_second_derivative_of_cube():
    x = leaf([0.5, -1.0, 2.0])
    (first,) = mg.grad((x ** 3).sum(), x, create_graph=True)
    (second,) = mg.grad(first.sum(), x)
    np.testing.assert_allclose(first.array, 3 * x.array ** 2)
    np.testing.assert_allclose(second.array, 6 * x.array)


def test_hessian_of_quadratic_form():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    x = leaf(rng.standard_normal(4))
    (g,) = mg.grad(x @ mg.Tensor(A) @ x, x, create_graph=True)
    hessian = np.stack([mg.grad(g[i], x, retain_graph=True)[0].array for i in range(4)])
    np.testing.assert_allclose(hessian, A + A.T, rtol=1e-12)


def test_hessian_vector_product_of_mlp_matches_finite_differences():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((8, 3)), rng.standard_normal((8, 1))
    w1_0, w2_0 = rng.standard_normal((3, 5)), rng.standard_normal((5, 1))
    v1, v2 = rng.standard_normal((3, 5)), rng.standard_normal((5, 1))

    def gradients(w1_array, w2_array, create_graph=False):
        w1, w2 = leaf(w1_array), leaf(w2_array)
        loss = (((mg.Tensor(X) @ w1).tanh() @ w2 - mg.Tensor(y)) ** 2).mean()
        return (w1, w2), mg.grad(loss, [w1, w2], create_graph=create_graph)

    (w1, w2), (g1, g2) = gradients(w1_0, w2_0, create_graph=True)
    hv1, hv2 = mg.grad((g1 * mg.Tensor(v1)).sum() + (g2 * mg.Tensor(v2)).sum(), [w1, w2])
    eps = 1e-5
    _, (p1, p2) = gradients(w1_0 + eps * v1, w2_0 + eps * v2)
    _, (m1, m2) = gradients(w1_0 - eps * v1, w2_0 - eps * v2)
    np.testing.assert_allclose(hv1.array, (p1.array - m1.array) / (2 * eps), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(hv2.array, (p2.array - m2.array) / (2 * eps), rtol=1e-6, atol=1e-8)


def test_no_grad_records_nothing_and_restores_mode():
    x = leaf([1.0])
    with mg.no_grad():
        y = x * 2.0
        assert not mg.is_grad_enabled()
        with mg.enable_grad():
            z = x * 3.0
    assert mg.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad
    assert z.requires_grad and z.grad_fn is not None


def test_no_grad_as_decorator_and_set_grad_enabled():
    @mg.no_grad()
    def double(t):
        return t * 2.0

    assert double(leaf([1.0])).grad_fn is None
    assert mg.is_grad_enabled()
    mg.set_grad_enabled(False)
    assert not mg.is_grad_enabled()
    mg.set_grad_enabled(True)
    with mg.set_grad_enabled(False):
        assert (leaf([1.0]) * 2.0).grad_fn is None
    assert mg.is_grad_enabled()


def test_set_grad_enabled_as_decorator_switches_only_inside_the_function():
    @mg.set_grad_enabled(False)
    def double(t):
        return t * 2.0

    assert mg.is_grad_enabled()  # decorating did not switch the mode
    assert double(leaf([1.0])).grad_fn is None
    assert mg.is_grad_enabled()


def test_no_grad_restores_mode_after_exception():
    with pytest.raises(ValueError):
        with mg.no_grad():
            raise ValueError("boom")
    assert mg.is_grad_enabled()


def test_backward_under_no_grad_builds_no_graph_for_gradients():
    x = leaf([2.0])
    (x * x).sum().backward()
    assert x.grad.grad_fn is None and not x.grad.requires_grad


def test_gradient_keeps_input_dtype():
    x = mg.Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    (x * mg.Tensor(np.ones(3))).sum().backward()  # float64 operand promotes the product
    assert x.grad.dtype == np.float32


def test_leaf_gradients_do_not_alias_each_other():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (a + b).sum().backward()
    a.grad.array[0] = 100.0
    assert b.grad.array[0] == 1.0


def test_hooks_see_and_replace_gradients():
    x = leaf([1.0, 2.0])
    seen = []
    y = x * 3.0
    y.register_hook(lambda g: seen.append(g.array.copy()))
    handle = x.register_hook(lambda g: g * 10.0)
    y.sum().backward()
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])
    np.testing.assert_array_equal(x.grad.array, [30.0, 30.0])
    handle.remove()
    x.grad = None
    (x * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.array, [3.0, 3.0])


def test_retain_grad_keeps_non_leaf_gradient():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    y.retain_grad()
    (y * y).sum().backward()
    np.testing.assert_array_equal(y.grad.array, [4.0, 8.0])


def test_inplace_change_of_saved_value_is_detected():
    x = leaf([1.0, 2.0])
    y = x * 2.0
    z = y * y  # saves y
    with mg.no_grad():
        y.mul_(3.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_inplace_on_leaf_requiring_grad_is_refused_outside_no_grad():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.add_(1.0)
    with mg.no_grad():
        x.add_(1.0)
    assert x.item() == 2.0 and x._version == 1


def test_bad_gradient_shape_from_a_function_names_the_op():
    from minigrad.autograd import Function

    class Broken(Function):
        def forward(self, a):
            return a * 2

        def backward(self, grad, out):
            return (mg.ones(7, dtype=np.float64),)

    with pytest.raises(RuntimeError, match=r"BrokenBackward returned a gradient of shape \(7,\) "
                                           r"for an input of shape \(3,\)"):
        Broken.apply(leaf([1.0, 2.0, 3.0])).sum().backward()


def test_detect_anomaly_names_the_op_and_where_it_was_made():
    x = leaf([0.0, 1.0])
    with mg.autograd.detect_anomaly():
        y = x.sqrt()  # d sqrt / dx at 0 is inf
        with pytest.raises(RuntimeError, match=r"SqrtBackward' returned inf") as info:
            y.sum().backward()
    assert "test_autograd.py" in str(info.value)


@pytest.mark.parametrize("make", [
    lambda x: x.log(),        # log(0) = -inf forward, 1/0 = inf backward: "divide by zero"
    lambda x: x / x,          # 0/0 = nan forward and backward: "invalid value"
    lambda x: (x * x).sqrt(),  # finite forward; backward x / sqrt(x^2) at 0: "invalid value"
], ids=["log", "zero-over-zero", "sqrt"])
def test_detect_anomaly_is_the_only_report_numpy_stays_quiet(make):
    x = leaf([0.0, 1.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with mg.autograd.detect_anomaly():
            y = make(x)
            with pytest.raises(RuntimeError, match=r"Backward' returned (nan|inf) values"):
                y.sum().backward()
    assert [str(w.message) for w in caught] == []
    assert np.geterr()["divide"] == "warn"  # the user's NumPy settings are untouched
    # Outside anomaly mode NumPy's warning is the user's only signal, and it stays.
    with pytest.warns(RuntimeWarning, match="divide by zero|invalid value"):
        make(leaf([0.0, 1.0])).sum().backward()


def test_set_detect_anomaly_switches_now_and_check_nan_false_records_without_raising():
    x = leaf([0.0, 1.0])
    previous = mg.autograd.set_detect_anomaly(True)
    try:
        assert mg.is_anomaly_enabled() and mg.is_anomaly_check_nan_enabled()
        y = x.sqrt()
        assert "test_autograd.py" in y.grad_fn._created_at
        with pytest.raises(RuntimeError, match="SqrtBackward' returned inf"):
            y.sum().backward()
    finally:
        mg.autograd.set_detect_anomaly(False)
    assert not mg.is_anomaly_enabled() and previous is not None
    with mg.autograd.set_detect_anomaly(True, check_nan=False):
        assert mg.is_anomaly_enabled() and not mg.is_anomaly_check_nan_enabled()
        y = x.sqrt()
        assert "test_autograd.py" in y.grad_fn._created_at  # the trace is still recorded
        with pytest.warns(RuntimeWarning):  # no report of minigrad's: NumPy's stays
            y.sum().backward()
    assert np.isinf(x.grad.array[0])
    assert not mg.is_anomaly_enabled() and mg.is_anomaly_check_nan_enabled()  # restored


def _custom_function(backward_result):
    from minigrad.autograd import Function

    class MyScale(Function):
        """out = 2a; the backward under test returns ``backward_result(grad)``."""

        def forward(self, a):
            return a * 2

        def backward(self, grad, out):
            return backward_result(grad)

    return MyScale


@pytest.mark.parametrize("backward_result,error,message", [
    (lambda g: (g.array * 2,), TypeError,
     r"MyScale\.backward returned a numpy\.ndarray as the gradient of input 0; each gradient "
     r"must be a Tensor or None: compute it with Tensor operations"),
    (lambda g: g * 2, TypeError,
     r"MyScale\.backward returned a bare Tensor; return a tuple with one gradient per input "
     r"\(1 here\)"),
    (lambda g: (g * 2, g * 2), RuntimeError,
     r"MyScale\.backward returned 2 gradients for 1 input; it must return exactly one per input"),
    (lambda g: (), RuntimeError, r"MyScale\.backward returned 0 gradients for 1 input"),
    (lambda g: None, TypeError, r"MyScale\.backward returned a NoneType; it must return a tuple"),
    (lambda g: (2.0,), TypeError, r"returned a float as the gradient of input 0"),
])
def test_the_usual_mistakes_in_a_custom_backward_name_the_function(backward_result, error,
                                                                   message):
    x = leaf([1.0, 2.0, 3.0])
    with pytest.raises(error, match=message):
        _custom_function(backward_result).apply(x).sum().backward()
    assert x.grad is None  # nothing was accumulated


def test_a_custom_backward_may_return_a_list():
    x = leaf([1.0, 2.0, 3.0])
    _custom_function(lambda g: [g * 2]).apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.array, [2.0, 2.0, 2.0])


@pytest.mark.parametrize("layer,shape", [
    (lambda: mg.nn.Linear(3, 2), (4, 3)),
    (lambda: mg.nn.ReLU(), (4, 3)),
    (lambda: mg.nn.Conv2d(1, 2, 3), (1, 1, 5, 5)),
    (lambda: mg.nn.Sequential(mg.nn.Flatten(), mg.nn.Linear(4, 2)), (2, 2, 2)),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_a_numpy_array_given_to_a_layer_says_a_tensor_is_expected(layer, shape, dtype):
    # float64 and integer arrays too: they must not be promoted silently (PyTorch refuses them).
    module = layer()
    with pytest.raises(TypeError, match=rf"{type(module).__name__} expects a Tensor, but argument "
                                        r"0 is a numpy\.ndarray of shape .*minigrad\.tensor"):
        module(np.zeros(shape, dtype=dtype))


def test_a_list_given_to_a_layer_says_a_tensor_is_expected():
    with pytest.raises(TypeError, match=r"Linear expects a Tensor, but argument 0 is a list of "
                                        r"numbers; convert it with minigrad\.tensor"):
        mg.nn.Linear(4, 3)([[1.0, 2.0, 3.0, 4.0]])


def test_a_numpy_array_given_to_an_op_says_a_tensor_is_expected():
    from minigrad import ops
    with pytest.raises(TypeError, match=r"Add expects Tensor inputs, but input 1 is a "
                                        r"numpy\.ndarray"):
        ops.Add.apply(mg.tensor([1.0]), np.ones(1, dtype=np.float32))
