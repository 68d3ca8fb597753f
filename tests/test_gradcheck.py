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
    assert "element error 0.5" in message


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


# ------------------------------------------------------------------ Modules: every parameter
class LinearFunction(Function):
    """y = x W^T + b, ctx style; ``weight_factor`` scales the weight gradient (1 is right)."""
    weight_factor = 1.0
    detach_weight = False

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x @ weight.T + bias

    @classmethod
    def backward(cls, ctx, grad):
        x, weight = ctx.saved_tensors
        if cls.detach_weight:  # right values, but not differentiable through the weight
            weight = weight.detach()
        return grad @ weight, (grad.T @ x) * cls.weight_factor, grad.sum(0)


class HalvedWeight(LinearFunction):
    weight_factor = 0.5


class DetachedWeight(LinearFunction):
    detach_weight = True


class MyLinear(mg.nn.Module):
    function = LinearFunction

    def __init__(self, in_features=4, out_features=3):
        super().__init__()
        self.weight = mg.nn.Parameter(mg.randn(out_features, in_features))
        self.bias = mg.nn.Parameter(mg.randn(out_features))

    def forward(self, x):
        return self.function.apply(x, self.weight, self.bias)


class HalvedLinear(MyLinear):
    function = HalvedWeight


def test_a_module_with_a_correct_backward_passes_every_parameter():
    x = leaf(np.random.default_rng(0).standard_normal((2, 4)))
    assert mg.gradcheck(MyLinear().double(), [x])
    assert mg.gradgradcheck(MyLinear().double(), [x])


def test_a_wrong_weight_gradient_fails_naming_the_weight():
    x = leaf(np.random.default_rng(0).standard_normal((2, 4)))
    with pytest.raises(mg.GradcheckError) as info:
        mg.gradcheck(HalvedLinear().double(), [x])
    message = str(info.value)
    assert info.value.gradient == "weight"
    assert "with respect to parameter weight" in message and "d weight[" in message
    assert "analytic" in message and "numerical" in message and "element error 0.5" in message
    assert info.value.diagnosis.kind == "factor" and "factor 0.5" in message


def test_nested_parameters_are_named_by_their_path_and_inputs_still_checked():
    model = mg.nn.Sequential(MyLinear(4, 4), mg.nn.Tanh(), HalvedLinear(4, 2)).double()
    with pytest.raises(mg.GradcheckError) as info:
        mg.gradcheck(model, [leaf(np.random.default_rng(1).standard_normal((3, 4)))])
    assert [f.gradient for f in info.value.failures] == ["2.weight"]
    # A bound method of the module is checked with the module's parameters too.
    with pytest.raises(mg.GradcheckError, match="parameter 2.weight"):
        mg.gradcheck(model.forward, [leaf(np.ones((1, 4)))])


def test_a_parameter_is_checked_even_when_no_input_requires_grad():
    with pytest.raises(mg.GradcheckError, match="parameter weight"):
        mg.gradcheck(HalvedLinear().double(), [leaf(np.ones((2, 4)), requires_grad=False)])


def test_the_check_restores_parameters_and_leaves_their_grad_alone():
    model = HalvedLinear().double()
    before = model.weight.array.copy()
    assert mg.gradcheck(model, [leaf(np.ones((2, 4)))], raise_exception=False) is False
    np.testing.assert_array_equal(model.weight.array, before)
    assert model.weight.grad is None


def test_gradgradcheck_checks_parameters_second_derivatives():
    class DetachedLinear(MyLinear):
        function = DetachedWeight

    x = leaf(np.random.default_rng(0).standard_normal((2, 4)))
    assert mg.gradcheck(DetachedLinear().double(), [x])  # first order is right
    with pytest.raises(mg.GradcheckError) as info:
        mg.gradgradcheck(DetachedLinear().double(), [x])
    assert "the gradient of input 0 with respect to parameter weight" in str(info.value)


def test_float32_parameters_are_warned_about_by_name():
    with pytest.warns(UserWarning, match="parameter weight has dtype float32"):
        mg.gradcheck(MyLinear(), [leaf(np.ones((1, 4)))], eps=1e-2, atol=1e-1, rtol=1e-1)


def test_jacobian_error_covers_parameters():
    x = leaf(np.ones((2, 4)))
    assert mg.jacobian_error(MyLinear().double(), [x]) < 1e-8
    # Only the weight's block is off (by half); the measure sees it.
    assert mg.jacobian_error(HalvedLinear().double(), [x]) > 1e-2


def test_the_two_measures_are_named_apart():
    # Jacobian error = ||A - N|| / (||A|| + ||N||); element error = |a - n| / |n|.
    x = leaf([2.0, 3.0])
    with pytest.raises(mg.GradcheckError) as info:
        mg.gradcheck(lambda t: t * t.detach(), [x])
    failure = info.value.failures[0]
    assert failure.jacobian_error == pytest.approx(1 / 3, rel=1e-6)  # |N/2| / (|N/2| + |N|)
    assert failure.element_error == pytest.approx(0.5, rel=1e-6)
    assert "Jacobian error 0.333" in str(info.value) and "element error 0.5" in str(info.value)
    assert "relative error" not in str(info.value)


def test_a_function_using_a_module_checks_the_modules_parameters_by_their_name():
    model = HalvedLinear().double()
    with pytest.raises(mg.GradcheckError) as info:
        mg.gradcheck(lambda x: model(x).tanh(), [leaf(np.ones((2, 4)))])
    assert info.value.gradient == "model.weight"

    def make(layer):
        return lambda x: layer(x)  # a closure over the layer

    with pytest.raises(mg.GradcheckError, match="parameter layer.weight"):
        mg.gradcheck(make(model), [leaf(np.ones((2, 4)))])
    weight = mg.nn.Parameter(mg.Tensor(np.ones((3, 4))))
    with pytest.raises(mg.GradcheckError, match="parameter weight"):
        mg.gradcheck(lambda x: HalvedWeight.apply(x, weight, mg.zeros(3, dtype=mg.float64)),
                     [leaf(np.ones((2, 4)))])
    assert mg.gradcheck(lambda x: MyLinear().double()(x), [leaf(np.ones((2, 4)))])


def test_gradcheck_perturbs_a_transposed_input():
    # A non-contiguous input (a transposed array) must still be perturbed element by element.
    x = mg.Tensor(np.arange(6.0).reshape(2, 3).T * 0.1, requires_grad=True)
    assert mg.gradcheck(lambda t: t.exp().sum(0), [x])
