"""The diagnosis of a wrong gradient: each classic mistake, made on purpose in a backward,
is named by gradcheck's report. The true gradients come from the functions' published
derivatives; the wrong ones are written here by hand, one mistake each."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minigrad as mg
from minigrad.autograd import Function
from minigrad.gradcheck import diagnose
from conftest import leaf


def custom(forward, backward):
    """A ctx-style Function from two lambdas: backward(grad, *inputs) -> gradients."""
    class Custom(Function):
        @staticmethod
        def forward(ctx, *inputs):
            ctx.save_for_backward(*inputs)
            return forward(*inputs)

        @staticmethod
        def backward(ctx, grad):
            return backward(grad, *ctx.saved_tensors)
    return Custom.apply


def softmax(x):
    e = (x - x.amax(1, keepdim=True)).exp()
    return e / e.sum(1, keepdim=True)


RNG = np.random.default_rng(0)
X43, X33, X23, B3 = (RNG.standard_normal(s) for s in [(4, 3), (3, 3), (4, 2), (3,)])
W23 = RNG.standard_normal((2, 3))

# (name, function, inputs, expected kind, words the diagnosis must contain, gradient named)
CASES = [
    ("x*x as x", custom(lambda x: x * x, lambda g, x: g * x), [X43],
     "factor", "factor 0.5", "input 0"),
    ("tanh, sign", custom(lambda x: x.tanh(), lambda g, x: -g * (1 - x.tanh() ** 2)), [X43],
     "sign", "wrong sign", "input 0"),
    ("sum over 4 rows divided by 4", custom(lambda x: x.sum(0), lambda g, x: g.expand(4, 3) / 4),
     [X43], "factor", "factor 1/4", "input 0"),
    ("mean without 1/3", custom(lambda x: x.mean(), lambda g, x: g.expand(3)), [B3],
     "factor", "factor 3", "input 0"),
    ("square weight transposed", custom(lambda x, w: x @ w, lambda g, x, w: (g @ w.T, g.T @ x)),
     [X43[:, :3], X33], "transposed", "transposed", "input 1"),
    ("transposed, reshaped", custom(lambda x, w: x @ w,
                                    lambda g, x, w: (g @ w.T, (g.T @ x).reshape(2, 3))),
     [X23, W23], "transposed", "then reshaped", "input 1"),
    ("a matrix where its transpose belongs",
     custom(lambda x, w: x @ w, lambda g, x, w: (g @ w, x.T @ g)), [X43[:, :3], X33],
     "transposed", "g @ W.T", "input 0"),
    ("bias gradient of one row", custom(lambda x, b: x + b, lambda g, x, b: (g, g[0])),
     [X43, B3], "broadcast", "dimension 0", "input 1"),
    ("softmax without the sum term", custom(softmax, lambda g, x: g * softmax(x)), [X43],
     "one_path", "element-wise path", "input 0"),
    ("softmax without the direct term",
     custom(softmax, lambda g, x: -softmax(x) * (g * softmax(x)).sum(1, keepdim=True)), [X43],
     "one_path", "the direct element-wise path", "input 0"),
    ("forgotten gradient", custom(lambda x, y: x * y, lambda g, x, y: (g * y, g * 0)),
     [X43, X43 + 1], "zero", "forgotten", "input 1"),
    ("NaN", custom(lambda x: x * 2, lambda g, x: g * mg.Tensor(np.full(x.shape, np.nan))), [X43], "nan", "NaN", "input 0"),
    ("gradient where none is", custom(lambda x, y: x * 2, lambda g, x, y: (g * 2, g)),
     [X43, X43], "spurious", "true gradient is 0", "input 1"),
]


@pytest.mark.parametrize("name,fn,arrays,kind,words,gradient", CASES, ids=[c[0] for c in CASES])
def test_each_classic_mistake_is_diagnosed(name, fn, arrays, kind, words, gradient):
    inputs = [leaf(a) for a in arrays]
    with pytest.raises(mg.GradcheckError) as info:
        mg.gradcheck(fn, inputs)
    assert info.value.gradient == gradient
    assert info.value.diagnosis.kind == kind, info.value.diagnosis
    assert words in str(info.value) and "Diagnosis: " in str(info.value)


def test_the_same_functions_with_the_right_backward_pass():
    assert mg.gradcheck(custom(lambda x, w: x @ w, lambda g, x, w: (g @ w.T, x.T @ g)),
                        [leaf(X23), leaf(W23)])
    assert mg.gradcheck(custom(lambda x, b: x + b, lambda g, x, b: (g, g.sum(0))),
                        [leaf(X43), leaf(B3)])


def test_named_paths_say_which_use_is_missing():
    # f(x) = x * sin(x): the product rule's two paths, J = diag(sin x) + diag(x cos x).
    x = np.array([0.3, -1.2, 2.0])
    through_first = np.diag(np.sin(x))
    through_second = np.diag(x * np.cos(x))
    result = diagnose(through_first, through_first + through_second, x.shape,
                      paths={"the first factor": through_first,
                             "the second factor": through_second})
    assert result.kind == "one_path"
    assert "matches the first factor only" in result.message
    assert "missing: the second factor" in result.message


def test_agreeing_gradients_and_unknown_mistakes():
    n = np.array([[1.0, 2.0, 3.0]])
    assert diagnose(n, n, (3,)).kind == "none"
    unknown = diagnose(np.array([[1.0, 2.5, 3.0]]), n, (3,))
    assert unknown.kind == "unknown" and "ranges from 1 to 1.25" in unknown.message


def test_a_broadcast_factor_names_where_it_comes_from():
    # d sum(x + b) / db = 4 (the broadcast count) for b of shape (3,) under x of (4, 3).
    numerical = np.full((12, 3), 0.0)
    numerical[np.arange(12), np.tile(np.arange(3), 4)] = 1
    result = diagnose(numerical / 4, numerical, (3,), (4, 3))
    assert result.kind == "factor" and "4 is the size of output dimension 0 and the broadcast count" in str(result)


def test_a_function_not_finite_at_the_point_is_told_apart_from_a_nan_backward():
    n = np.array([[np.inf, 1.0]])
    assert "the function itself is not finite" in diagnose(np.array([[np.nan, 1.0]]), n, (2,)).message
    assert "not differentiable near this point" in diagnose(np.array([[1.0, 1.0]]), n, (2,)).message


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(1, 5), cols=st.integers(2, 5), seed=st.integers(0, 2**16),
       factor=st.sampled_from([-1.0, 0.5, 2.0, 0.25, 3.0, -0.5, 1.7]))
def test_any_constant_factor_is_found_and_named(rows, cols, seed, factor):
    n = np.random.default_rng(seed).standard_normal((rows, cols))
    result = diagnose(factor * n, n, (cols,), (rows,))
    assert result.kind == ("sign" if factor < 0 else "factor")
    assert result.factor == pytest.approx(factor)


@settings(max_examples=30, deadline=None)
@given(size=st.integers(2, 4), other=st.integers(2, 4), seed=st.integers(0, 2**16))
def test_a_transposed_gradient_is_found_for_any_2d_shape(size, other, seed):
    # One output (a weighted sum), so the Jacobian row is the gradient itself.
    gradient = np.random.default_rng(seed).standard_normal((size, other))
    wrong = gradient.T.reshape(size, other)  # the transpose, reshaped to fit when not square
    assert diagnose(wrong.reshape(1, -1), gradient.reshape(1, -1), (size, other), ()).kind \
        == "transposed"
