"""In-place ops recorded in the graph (autograd/rebase.py), against PyTorch's documented
semantics: the modified tensor's history is rebased, so backward gives the gradient of the
function the program computed; a value saved for backward and changed afterwards raises
PyTorch's version-counter error. Expected gradients come from the formulas, in float64."""
import numpy as np
import pytest

import minigrad as mg


def leaf(values):
    return mg.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


X = np.array([0.5, -1.5, 2.0])
W = np.array([1.5, 0.5, -2.0])


def test_residual_block_out_plus_identity():
    # out = relu(W * x) * b;  out += x;  L = sum(out^2)
    x, w, b = leaf(X), leaf(W), leaf([2.0, -1.0, 0.5])
    out = (w * x).relu() * b
    before = out.grad_fn
    alias = out
    out += x
    assert out is alias and out.grad_fn.name == "AddBackward"
    assert out.grad_fn.next_functions[0][0] is before  # the old history, as PyTorch shows it
    (out * out).sum().backward()
    pre = W * X
    value = np.maximum(pre, 0) * b.array + X
    g = 2 * value
    np.testing.assert_allclose(x.grad.array, g * (b.array * W * (pre > 0) + 1))
    np.testing.assert_allclose(w.grad.array, g * b.array * X * (pre > 0))
    np.testing.assert_allclose(b.grad.array, g * np.maximum(pre, 0))


def test_relu_in_place_on_a_non_leaf():
    x, w = leaf(X), leaf(W)
    y = x * w
    y.relu_()
    assert y.grad_fn.name == "ReLUBackward" and y._version == 1
    (y * 3.0).sum().backward()
    np.testing.assert_allclose(x.grad.array, 3.0 * W * (X * W > 0))


def test_setitem_in_a_loop_over_time_is_a_recurrence():
    # s_t = tanh(w x_t + s_{t-1}), written into h[:, t];  L = sum(c * h)
    rng = np.random.default_rng(0)
    inputs, c = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    w = leaf([0.7])
    h = mg.zeros(2, 4, dtype=mg.float64)
    for t in range(4):
        previous = h[:, t - 1] if t else 0.0
        h[:, t] = (w * mg.tensor(inputs[:, t]) + previous).tanh()
    assert not h.is_leaf and h.requires_grad
    (h * mg.tensor(c)).sum().backward()
    states, s = [], np.zeros(2)
    for t in range(4):
        s = np.tanh(0.7 * inputs[:, t] + s)
        states.append(s)
    np.testing.assert_allclose(h.array, np.stack(states, 1))
    upstream, grad_w = np.zeros(2), 0.0
    for t in reversed(range(4)):
        d_state = c[:, t] + upstream          # dL/ds_t
        d_pre = d_state * (1 - states[t] ** 2)  # through tanh
        grad_w += (d_pre * inputs[:, t]).sum()
        upstream = d_pre                        # s_{t-1} enters the next pre-activation
    np.testing.assert_allclose(w.grad.array, [grad_w])


def test_setitem_gives_the_value_its_positions_and_the_old_tensor_the_rest():
    x, v = leaf([1.0, 2.0, 3.0, 4.0]), leaf([10.0, 20.0])
    y = x * 2.0
    y[1:3] = v
    (y * mg.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    np.testing.assert_allclose(x.grad.array, [2.0, 0.0, 0.0, 8.0])
    np.testing.assert_allclose(v.grad.array, [2.0, 3.0])


def test_mul_in_place_on_a_non_leaf_by_a_constant_and_by_a_tensor():
    x, w = leaf(X), leaf(W)
    y = x.exp()
    y2 = y * 1.0  # exp saved its output: change a copy of it instead
    y2.mul_(2.0)
    y2.mul_(w)  # w's gradient needs the value before this mul_: PyTorch keeps a copy
    y2.sum().backward()
    np.testing.assert_allclose(x.grad.array, 2 * W * np.exp(X))
    np.testing.assert_allclose(w.grad.array, 2 * np.exp(X))


@pytest.mark.parametrize("method, derivative", [
    ("sigmoid_", lambda v: 1 / (1 + np.exp(-v)) * (1 - 1 / (1 + np.exp(-v)))),
    ("tanh_", lambda v: 1 - np.tanh(v) ** 2),
    ("exp_", np.exp),
    ("relu_", lambda v: (v > 0).astype(float)),
    ("neg_", lambda v: -np.ones_like(v)),
    ("abs_", np.sign),
])
def test_pointwise_in_place_methods_give_the_derivative(method, derivative):
    x = leaf(X)
    y = x * 2.0
    getattr(y, method)()
    y.sum().backward()
    np.testing.assert_allclose(x.grad.array, 2.0 * derivative(2.0 * X), rtol=1e-12)


def test_clamp_and_masked_fill_in_place():
    x = leaf(X)
    y = x * 1.0
    y.clamp_(-1.0, 1.0)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.array, (np.abs(X) <= 1.0).astype(float))
    x.grad = None
    y = x * 3.0
    y.masked_fill_(mg.tensor([True, False, True]), 0.0)
    assert y.tolist() == [0.0, -4.5, 0.0]
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.array, [0.0, 3.0, 0.0])


def test_copy_zero_and_fill_overwrite_the_old_history():
    x, source = leaf(X), leaf(W)
    y = x * 2.0
    y.copy_(source * source)  # the gradient flows to source; the old y gets zeros
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.array, np.zeros(3))
    np.testing.assert_allclose(source.grad.array, 2 * W)
    x.grad = None
    y = x * 2.0
    y.zero_()
    (y + x).sum().backward()
    np.testing.assert_array_equal(x.grad.array, np.ones(3))
    scale = leaf(2.5)
    filled = mg.zeros(4, dtype=mg.float64)
    filled.fill_(scale)
    (filled * 3.0).sum().backward()
    assert scale.grad.item() == 12.0  # d/ds sum(3 s) over 4 elements


def test_augmented_operators_change_the_tensor_in_place():
    x = leaf([1.0, 2.0, 3.0])
    total = mg.zeros(3, dtype=mg.float64)  # a plain tensor given grad-requiring operands
    alias = total
    total += x
    total *= x
    total -= 1.0
    total /= 2.0
    assert total is alias and alias.tolist() == [0.0, 1.5, 4.0] and total._version == 4
    total.sum().backward()
    np.testing.assert_allclose(x.grad.array, [1.0, 2.0, 3.0])  # d/dx (x^2 - 1) / 2


def test_uses_before_the_change_keep_the_old_value():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 1.0
    z = y * 3.0  # used y before the change; Mul by a constant saves no y
    y.mul_(2.0)
    (z + y).sum().backward()
    np.testing.assert_allclose(x.grad.array, [5.0, 5.0, 5.0])


def _sigmoid_then_mul(x):
    y = x.sigmoid()
    y.mul_(2.0)
    return y


def _relu_in_place_twice(x):
    y = x * 2.0
    y.relu_()
    y.mul_(2.0)
    return y * y


def _mul_saved_then_changed(x):
    y = x * 1.0
    z = y * x  # saves y, for x's gradient
    y.mul_(2.0)
    return z + y


def _exp_then_add(x):
    y = x.exp()
    y.add_(1.0)
    return y


def _relu_then_add(x):
    y = x.relu()
    y.add_(1.0)
    return y


@pytest.mark.parametrize("build, node, now, expected", [
    (_sigmoid_then_mul, "output 0 of SigmoidBackward", 1, 0),
    (_relu_in_place_twice, "output 0 of ReLUBackward", 2, 1),
    (_mul_saved_then_changed, "input 0 of MulBackward", 1, 0),
    (_exp_then_add, "output 0 of ExpBackward", 1, 0),
    (_relu_then_add, "output 0 of ReLUBackward", 1, 0),
])
def test_changing_a_saved_value_raises_the_version_error(build, node, now, expected):
    x = leaf(X)
    out = build(x)
    message = (r"one of the variables needed for gradient computation has been modified by an "
               rf"inplace operation: \[float64 tensor of shape \(3,\)\], which is {node}, is at "
               rf"version {now}; expected version {expected} instead")
    with pytest.raises(RuntimeError, match=message):
        out.sum().backward()
    assert x.grad is None  # refused before anything was accumulated


@pytest.mark.parametrize("build, gradient", [
    (lambda x: (x * 2.0).add_(1.0), lambda: np.full(3, 2.0)),     # Mul by a constant saves no x
    (lambda x: (x / 2.0).add_(1.0), lambda: np.full(3, 0.5)),     # Div keeps b, not its output
    (lambda x: (x ** 2).add_(1.0), lambda: 2 * X),                # Pow keeps a, not its output
    (lambda x: (x * 1.0).sigmoid_() + 0, lambda: np.exp(-X) / (1 + np.exp(-X)) ** 2),
])
def test_changing_an_unsaved_value_is_fine(build, gradient):
    x = leaf(X)
    build(x).sum().backward()
    np.testing.assert_allclose(x.grad.array, gradient(), rtol=1e-12)


def test_changing_max_poolings_output_is_fine_as_in_pytorch():
    # PyTorch's max pooling keeps indices, not its output; minigrad's node gets a copy of it
    # (finding the maxima in the doubled values would find none).
    x = leaf(np.arange(16.0).reshape(1, 1, 4, 4) - 8.0)
    y = mg.nn.functional.max_pool2d(x, 2)
    y.mul_(2.0)
    y.sum().backward()
    expected = np.zeros((4, 4))
    expected[1, 1] = expected[1, 3] = expected[3, 1] = expected[3, 3] = 2.0  # each block's max
    np.testing.assert_array_equal(x.grad.array[0, 0], expected)


def test_a_leaf_that_requires_grad_refuses_in_place_ops_in_grad_mode():
    x = leaf([1.0])
    for change in (lambda: x.add_(1.0), lambda: x.relu_(), lambda: x.__setitem__(0, 2.0),
                   lambda: x.normal_()):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used "
                                               "in an in-place operation"):
            change()
    assert x.tolist() == [1.0] and x._version == 0
    with mg.no_grad():
        x.add_(1.0)
    assert x.tolist() == [2.0] and x.is_leaf and x._version == 1


def test_in_place_on_a_view_is_made_to_its_base():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 1.0
    y[1:].mul_(2.0)  # y = [x0, 2 x1, 2 x2]
    assert y.tolist() == [1.0, 4.0, 6.0] and y.grad_fn.name == "SetItemBackward"
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.array, [2.0, 16.0, 24.0])  # 2 y * dy/dx


def test_augmented_assignment_into_a_slice_in_a_loop():
    x = leaf([1.0, 2.0])
    out = mg.zeros(2, 3, dtype=mg.float64)
    for i in range(3):
        out[:, i] += x * (i + 1)  # a view changed in place, then written back
    np.testing.assert_allclose(out.array, np.outer([1.0, 2.0], [1.0, 2.0, 3.0]))
    (out * out).sum().backward()
    np.testing.assert_allclose(x.grad.array, 2 * np.array([1.0, 2.0]) * (1 + 4 + 9))


def test_views_of_views_and_transposes():
    x = leaf([1.0, 2.0, 3.0, 4.0])
    y = x * 1.0
    grid = y.view(2, 2)
    grid.t()[0].mul_(3.0)  # the first column of grid: y[0] and y[2]
    assert y.tolist() == [3.0, 2.0, 9.0, 4.0]
    y.sum().backward()
    np.testing.assert_allclose(x.grad.array, [3.0, 1.0, 3.0, 1.0])


def test_a_view_taken_before_its_base_changed_sees_the_change_in_its_gradient():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 1.0
    head = y[:2]
    y.mul_(2.0)  # head now holds 2 x[:2], and its history says so
    assert head.tolist() == [2.0, 4.0] and head._version == 1
    (head * head).sum().backward()
    np.testing.assert_allclose(x.grad.array, [8.0, 16.0, 0.0])  # d/dx (2x)^2 = 8x


def test_a_value_saved_from_a_view_then_changed_through_its_base_is_refused():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 1.0
    tail = y[1:]
    z = tail * tail  # saves tail
    y.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_in_place_on_a_broadcast_view_is_refused():
    x = leaf([1.0, 2.0])
    wide = (x * 1.0).expand(3, 2)
    with pytest.raises(RuntimeError, match="in-place operation on a view .*BroadcastToBackward.* "
                                           "cannot write it back"):
        wide.add_(1.0)


def test_shape_and_dtype_errors_leave_the_tensor_unchanged():
    x = leaf(X)
    y = x * 1.0
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the "
                                           r"broadcast shape \[2, 3\]"):
        y += mg.ones(2, 3, dtype=mg.float64)
    counts = mg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type float32 can't be cast to the desired "
                                           "output type int64"):
        counts.mul_(1.5)
    assert y.grad_fn.name == "MulBackward" and y._version == 0 and counts.tolist() == [1, 2]


def test_in_place_under_no_grad_keeps_the_history():
    x = leaf(X)
    y = x * 2.0
    with mg.no_grad():
        y.add_(1.0)
    assert y.grad_fn.name == "MulBackward" and y._version == 1
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.array, np.full(3, 2.0))


def test_inplace_relu_layer_gives_the_same_gradients_as_the_out_of_place_one():
    inputs = mg.tensor(np.random.default_rng(1).normal(size=(5, 3)).astype(np.float32))
    grads = []
    for inplace in (True, False):
        mg.manual_seed(0)
        model = mg.nn.Sequential(mg.nn.Linear(3, 4), mg.nn.ReLU(inplace=inplace),
                                 mg.nn.Linear(4, 2))
        model(inputs).square().sum().backward()
        grads.append([p.grad.array for p in model.parameters()])
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_scatter_and_scatter_add_in_place_pass_gradients_to_both_sides():
    c = np.array([1.0, 2.0, 3.0, 4.0])
    for method, old_share in (("scatter_", [0.0, 1.0, 1.0, 0.0]), ("scatter_add_", [1.0] * 4)):
        x, source = leaf([1.0, 2.0, 3.0, 4.0]), leaf([10.0, 20.0])
        y = x * 2.0
        getattr(y, method)(0, mg.tensor([3, 0]), source)
        (y * mg.tensor(c)).sum().backward()
        np.testing.assert_allclose(x.grad.array, 2.0 * c * np.array(old_share))
        np.testing.assert_allclose(source.grad.array, [c[3], c[0]])  # gathered where they went


def test_hooks_registered_before_an_in_place_op_see_the_former_gradient():
    x = leaf([1.0, 2.0])
    y = x * 1.0
    seen = []
    y.register_hook(lambda g: seen.append(g.tolist()))
    y.mul_(2.0)
    y.retain_grad()
    y.sum().backward()
    assert seen == [[2.0, 2.0]]  # d sum(2 y_old) / d y_old
    assert y.grad.tolist() == [1.0, 1.0] and x.grad.tolist() == [2.0, 2.0]


def test_a_long_lived_base_does_not_collect_its_dead_views():
    weight = mg.nn.Parameter(mg.ones(4, 4))
    for _ in range(1000):
        (weight.t() @ mg.ones(4)).sum()  # a view of the parameter at every step
    assert len(weight._views) <= 32


def test_detach_shares_the_version_counter_but_data_does_not():
    x = leaf([1.0, 2.0])
    y = x * 1.0
    z = y * y  # saves y
    y.data.mul_(1.0)  # .data: not counted, as in PyTorch
    z.sum().backward(retain_graph=True)
    detached = y.detach()
    detached.zero_()  # counted: y's saved value changed
    assert y._version == 1 and y.tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()
    with mg.no_grad():
        y.add_(1.0)
    assert detached._version == 2 and detached.tolist() == [1.0, 1.0]


def test_relu_in_place_after_layer_norm_is_fine_as_in_pytorch():
    # PyTorch's layer_norm keeps x, the mean and rstd, not its output: minigrad's node gets
    # a copy of the output it reads. The gradient, from the formula:
    # dx = rstd (g - mean(g) - x_hat mean(g x_hat)), g = [x_hat > 0].
    data = np.array([[0.3, -1.2, 2.0, 0.1], [1.0, 0.5, -0.5, -2.0]])
    x = leaf(data)
    y = mg.nn.LayerNorm(4, elementwise_affine=False)(x * 1.0)
    y.relu_()
    y.sum().backward()
    centered = data - data.mean(1, keepdims=True)
    rstd = 1 / np.sqrt((centered ** 2).mean(1, keepdims=True) + 1e-5)
    x_hat = centered * rstd
    g = (x_hat > 0).astype(float)
    expected = rstd * (g - g.mean(1, keepdims=True) - x_hat * (g * x_hat).mean(1, keepdims=True))
    np.testing.assert_allclose(x.grad.array, expected, rtol=1e-10)


# Every layer with PyTorch's inplace flag, and its formula in float64.
INPLACE_LAYERS = [
    (lambda: mg.nn.ReLU(True), lambda v: np.maximum(v, 0)),
    (lambda: mg.nn.LeakyReLU(0.1, True), lambda v: np.where(v > 0, v, 0.1 * v)),
    (lambda: mg.nn.ELU(1.5, True), lambda v: np.where(v > 0, v, 1.5 * np.expm1(v))),
    (lambda: mg.nn.Hardtanh(-0.5, 0.5, True), lambda v: np.clip(v, -0.5, 0.5)),
    (lambda: mg.nn.ReLU6(True), lambda v: np.clip(v, 0, 6)),
    (lambda: mg.nn.Hardsigmoid(True), lambda v: np.clip(v + 3, 0, 6) / 6),
    (lambda: mg.nn.Hardswish(True), lambda v: v * np.clip(v + 3, 0, 6) / 6),
    (lambda: mg.nn.SELU(True), lambda v: 1.0507009873554805 * np.where(
        v > 0, v, 1.6732632423543772 * np.expm1(v))),
    (lambda: mg.nn.CELU(2.0, True), lambda v: np.where(v > 0, v, 2.0 * np.expm1(v / 2.0))),
    (lambda: mg.nn.Threshold(0.3, -1.0, True), lambda v: np.where(v > 0.3, v, -1.0)),
    (lambda: mg.nn.SiLU(True), lambda v: v / (1 + np.exp(-v))),
    (lambda: mg.nn.Mish(True), lambda v: v * np.tanh(np.log1p(np.exp(v)))),
    (lambda: mg.nn.Dropout(1.0, True), lambda v: 0.0 * v),
]


@pytest.mark.parametrize("make, formula", INPLACE_LAYERS,
                         ids=[type(m()).__name__ for m, _ in INPLACE_LAYERS])
def test_inplace_layers_change_their_input_and_keep_the_gradient(make, formula):
    data = np.array([-4.0, -1.2, -0.2, 0.4, 1.1, 7.0])
    x = leaf(data)
    hidden = x * 1.0
    out = make()(hidden)
    assert out is hidden and hidden._version == 1
    np.testing.assert_allclose(hidden.array, formula(data), rtol=1e-12)
    # The gradient of the in-place layer is the out-of-place one's, by central differences
    # of the formula (every point is away from the kinks).
    (out * mg.tensor(np.arange(1.0, 7.0))).sum().backward()
    step = 1e-6
    slope = (formula(data + step) - formula(data - step)) / (2 * step)
    np.testing.assert_allclose(x.grad.array, np.arange(1.0, 7.0) * slope, rtol=1e-6, atol=1e-9)
