"""The gradient checker: passes correct gradients, catches wrong ones and says where."""

import numpy as np
import pytest

import minigrad as mg
from minigrad.autograd import Function
from conftest import leaf


class ScaledWrongSquare(Function):
    """x^2 with a backward that is off by a factor on one element: the student's bug."""
    saved_inputs = (0,)

    def forward(self, a):
        return a * a

    def backward(self, grad, out):
        (x,) = self.inputs
        factor = np.ones(x.shape)
        factor[1, 2] = 1.5
        return (grad * x * 2.0 * mg.Tensor(factor),)


def test_correct_gradient_passes():
    assert mg.gradcheck(lambda x, y: (x * y).sum(), [leaf(np.ones((2, 3))), leaf(np.ones(3))])


def test_wrong_backward_fails_and_names_the_element():
    x = leaf(np.arange(6.0).reshape(2, 3) + 1)
    with pytest.raises(mg.GradcheckError) as info:
        mg.gradcheck(lambda t: ScaledWrongSquare.apply(t), [x])
    message = str(info.value)
    assert "output 0 with respect to input 0" in message
    assert "d output[1, 2] / d input[1, 2]" in message
    assert "analytic 18" in message and "numerical 12" in message
    assert "relative error 0.5" in message


def test_detach_bug_is_caught():
    # x * x.detach() has the right value but half the right gradient.
    with pytest.raises(mg.GradcheckError, match="analytic 2 , numerical 4|analytic 2, numerical 4"):
        mg.gradcheck(lambda t: t * t.detach(), [leaf([2.0])])


def test_raise_exception_false_returns_false():
    assert mg.gradcheck(lambda t: t * t.detach(), [leaf([2.0])], raise_exception=False) is False


def test_fast_mode_passes_correct_and_catches_wrong():
    x = leaf(np.random.default_rng(0).standard_normal((4, 5)))
    assert mg.gradcheck(lambda t: (t.tanh() @ t.T).sum(1), [x], fast_mode=True)
    with pytest.raises(mg.GradcheckError, match="fast mode.*fast_mode=False"):
        mg.gradcheck(lambda t: ScaledWrongSquare.apply(t[:2, :3]), [x], fast_mode=True)


def test_warns_on_float32_input():
    with pytest.warns(UserWarning, match="input 0 has dtype float32, not float64"):
        mg.gradcheck(lambda t: t * 2.0, [mg.ones(2, requires_grad=True)], eps=1e-2, atol=1e-2, rtol=1e-2)


def test_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="no input requires grad"):
        mg.gradcheck(lambda t: t * 2.0, [leaf([1.0], requires_grad=False)])


def test_leaves_random_state_unchanged_and_fixes_randomness_per_evaluation():
    def noisy(t):
        return t * mg.randn(3, dtype=np.float64)  # same noise in every evaluation

    mg.manual_seed(5)
    expected_next = mg.randn(2).array
    mg.manual_seed(5)
    assert mg.gradcheck(noisy, [leaf([1.0, 2.0, 3.0])])
    np.testing.assert_array_equal(mg.randn(2).array, expected_next)


def test_does_not_modify_caller_inputs():
    x = leaf([1.0, 2.0])
    original = x.array.copy()
    mg.gradcheck(lambda t: t ** 2, [x])
    np.testing.assert_array_equal(x.array, original)
    assert x.grad is None


def test_gradgradcheck_catches_wrong_second_derivative():
    class WrongSecond(Function):
        """x^3 whose backward is right but built from a detached x, so d2 is wrong."""
        saved_inputs = (0,)

        def forward(self, a):
            return a ** 3

        def backward(self, grad, out):
            return (grad * 3.0 * self.inputs[0].detach() ** 2,)

    x = leaf([1.0, 2.0])
    assert mg.gradcheck(lambda t: WrongSecond.apply(t), [x])
    with pytest.raises(mg.GradcheckError):
        mg.gradgradcheck(lambda t: WrongSecond.apply(t), [x])


def test_numerical_gradient_helper():
    x = np.array([1.0, -2.0, 0.5])
    grad = mg.numerical_gradient(lambda v: float(np.sum(v ** 3)), x)
    np.testing.assert_allclose(grad, 3 * x ** 2, rtol=1e-7)
    grad_t = mg.numerical_gradient(lambda t: (t * t).sum(), mg.Tensor(x))
    np.testing.assert_allclose(grad_t, 2 * x, rtol=1e-7)
    np.testing.assert_array_equal(x, [1.0, -2.0, 0.5])


def test_gradcheck_perturbs_a_transposed_input():
    # A non-contiguous input (a transposed array) must still be perturbed element by element.
    x = mg.Tensor(np.arange(6.0).reshape(2, 3).T * 0.1, requires_grad=True)
    assert mg.gradcheck(lambda t: t.exp().sum(0), [x])
