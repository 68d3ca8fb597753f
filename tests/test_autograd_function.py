"""PyTorch-style custom autograd Functions (ctx, save_for_backward, apply) on the one engine,
and the graph as PyTorch shows it (grad_fn.name(), next_functions)."""
import numpy as np
import pytest

import minigrad as torch
from conftest import leaf


class Cube(torch.autograd.Function):
    """x^3, with d/dx = 3 x^2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x ** 2


SEEN_NEEDS = []


class MulConstant(torch.autograd.Function):
    """x * k for a Python number k (no gradient for k)."""

    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, grad_output):
        SEEN_NEEDS.append(ctx.needs_input_grad)
        return grad_output * ctx.k, None


class Exp(torch.autograd.Function):
    """exp(x), saving its output."""

    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


def test_gradient_matches_the_formula_and_gradcheck():
    data = np.random.default_rng(0).standard_normal(5)
    x = leaf(data)
    Cube.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 3 * data ** 2)
    assert torch.autograd.gradcheck(Cube.apply, (leaf(data),))
    assert torch.autograd.gradcheck(Exp.apply, (leaf(data),))


def test_the_backward_is_differentiable_under_create_graph():
    x = leaf([2.0])
    g, = torch.autograd.grad(Cube.apply(x), x, create_graph=True)
    g2, = torch.autograd.grad(g.sum(), x)
    assert g.item() == 12.0 and g2.item() == 12.0  # d(3 x^2)/dx = 6 x


def test_non_tensor_arguments_and_needs_input_grad():
    x = leaf([1.0, 2.0])
    y = MulConstant.apply(x, 3.0)
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0] and SEEN_NEEDS[-1] == (True, False)


def test_gradient_accumulates_with_other_uses_of_the_input():
    x = leaf([1.0, 2.0])
    (Cube.apply(x) + x * 5).sum().backward()  # one accumulation path: the engine's
    assert x.grad.tolist() == [8.0, 17.0]


def test_without_grad_no_graph_is_recorded():
    x = leaf([1.0])
    with torch.no_grad():
        y = Cube.apply(x)
    assert y.grad_fn is None and not y.requires_grad
    assert Cube.apply(torch.tensor([2.0])).grad_fn is None


def test_grad_fn_name_and_next_functions():
    a, b = leaf([1.0]), torch.tensor([2.0])
    y = Cube.apply(a * b + 1)
    assert y.grad_fn.name() == "CubeBackward" and repr(y) .endswith("grad_fn=<CubeBackward>)")
    (add, _), = y.grad_fn.next_functions
    assert add.name() == "AddBackward"
    (mul, _), (constant, _) = add.next_functions
    assert constant is None and mul.name() == "MulBackward"
    (accumulate, _), (none, _) = mul.next_functions
    assert accumulate.name() == "AccumulateGrad" and accumulate.variable is a and none is None


def graph_shape(fn):
    """The graph below ``fn`` as nested (name, [children]) by next_functions; None a constant."""
    if fn is None:
        return None
    return fn.name(), [graph_shape(child) for child, _ in fn.next_functions]


def test_next_functions_keep_their_structure_after_backward():
    # PyTorch frees the saved values at backward but keeps the graph walkable.
    a, b = leaf([1.0, 2.0]), torch.tensor([2.0, 3.0])
    loss = (Cube.apply(a * b + 1) - a.exp()).sum()
    before = graph_shape(loss.grad_fn)
    loss.backward()
    assert graph_shape(loss.grad_fn) == before
    assert before == ("SumBackward", [("SubBackward", [
        ("CubeBackward", [("AddBackward", [("MulBackward", [("AccumulateGrad", []), None]),
                                           None])]),
        ("ExpBackward", [("AccumulateGrad", [])])])])
    (sub, _), = loss.grad_fn.next_functions
    (_, _), (exp, _) = sub.next_functions
    assert exp.next_functions[0][0].variable is a  # the leaf itself, as before backward


def test_a_saved_output_is_the_tensor_returned():
    x = leaf([0.5])
    y = Exp.apply(x)
    assert y.grad_fn._saved[0] is y
    y.backward()
    assert x.grad.item() == pytest.approx(np.exp(0.5))


def test_modifying_a_saved_tensor_in_place_is_refused():
    x = leaf([1.0, 2.0])
    h = x * 1
    y = Cube.apply(h)
    with torch.no_grad():
        h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation: .*saved tensor 0 of CubeBackward"):
        y.sum().backward()


def test_wrong_number_of_gradients_is_named():
    class Two(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    with pytest.raises(RuntimeError, match=r"TwoBackward returned an incorrect number of "
                                           r"gradients \(expected 2, got 1\)"):
        Two.apply(leaf([1.0]), leaf([2.0])).sum().backward()


def test_several_outputs_are_not_supported_by_minigrad():
    class Split(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1, x * 2

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 + 2 * g2

    with pytest.raises(RuntimeError, match="several outputs are not supported by minigrad"):
        Split.apply(leaf([1.0]))


def test_primitive_style_functions_still_work():
    class Double(torch.autograd.Function):
        def forward(self, a):
            return a * 2

        def backward(self, grad, out):
            return (grad * 2,)

    x = leaf([1.0])
    Double.apply(x).backward()
    assert x.grad.item() == 2.0


def test_saved_tensors_is_empty_when_nothing_was_saved_and_int_outputs_carry_no_grad():
    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            assert ctx.saved_tensors == ()
            return grad_output * 2

    class Argmax(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.argmax()

        @staticmethod
        def backward(ctx, grad_output):
            raise AssertionError("never called")

    x = leaf([1.0, 3.0])
    Double.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    index = Argmax.apply(x)
    assert index.item() == 1 and index.grad_fn is None and not index.requires_grad
