"""The in-place methods (minigrad/tensor/inplace.py) as programs call them, mostly on
``.data``: PyTorch's ``.data`` is a detached tensor sharing the array, so changing it changes
the parameter without recording anything and without bumping the parameter's version."""
import numpy as np
import pytest

import minigrad as mg


def parameter(values):
    return mg.nn.Parameter(mg.tensor(np.asarray(values, dtype=np.float32)))


def trained(values=(1.0, 2.0, 3.0)):
    """A parameter with a gradient, as after one backward."""
    p = parameter(values)
    (p * p).sum().backward()  # grad = 2 p
    return p


# Each row: a change through .data, and the values it must leave in p = [1, 2, 3] with
# grad 2 p = [2, 4, 6] (lr = 0.1).
DATA_CHANGES = [
    ("add_ manual SGD", lambda p: p.data.add_(-0.1 * p.grad), [0.8, 1.6, 2.4]),
    ("add_ with alpha", lambda p: p.data.add_(p.grad, alpha=-0.1), [0.8, 1.6, 2.4]),
    ("-= on .data", lambda p: _isub_data(p, 0.1 * p.grad), [0.8, 1.6, 2.4]),
    ("zero_", lambda p: p.data.zero_(), [0.0, 0.0, 0.0]),
    ("fill_", lambda p: p.data.fill_(0.5), [0.5, 0.5, 0.5]),
    ("copy_", lambda p: p.data.copy_(mg.tensor([3.0, 2.0, 1.0])), [3.0, 2.0, 1.0]),
    ("clamp_", lambda p: p.data.clamp_(1.5, 2.5), [1.5, 2.0, 2.5]),
    ("clamp_ min only", lambda p: p.data.clamp_(min=2.0), [2.0, 2.0, 3.0]),
    ("mul_", lambda p: p.data.mul_(2.0), [2.0, 4.0, 6.0]),
    ("div_", lambda p: p.data.div_(2.0), [0.5, 1.0, 1.5]),
    ("masked assignment", lambda p: p.data.__setitem__(p.data > 1.5, 0.0), [1.0, 0.0, 0.0]),
    ("index assignment", lambda p: p.data.__setitem__(0, 9.0), [9.0, 2.0, 3.0]),
    ("masked_fill_", lambda p: p.data.masked_fill_(mg.tensor([True, False, True]), -1.0),
     [-1.0, 2.0, -1.0]),
    ("addcmul_", lambda p: p.data.addcmul_(p.grad, p.grad, value=0.5), [3.0, 10.0, 21.0]),
    ("addcdiv_", lambda p: p.data.addcdiv_(p.grad, p.grad, value=-1.0), [0.0, 1.0, 2.0]),
    ("lerp_", lambda p: p.data.lerp_(mg.zeros(3), 0.5), [0.5, 1.0, 1.5]),
    ("pow_", lambda p: p.data.pow_(2), [1.0, 4.0, 9.0]),
    ("sqrt_", lambda p: p.data.sqrt_(), list(np.sqrt([1.0, 2.0, 3.0]))),
]


def _isub_data(p, update):
    p.data -= update  # an in-place change of the detached tensor, then p.data = it


@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad mode", "no_grad"])
@pytest.mark.parametrize("name, change, expected", DATA_CHANGES, ids=[r[0] for r in DATA_CHANGES])
def test_changing_data_changes_the_parameter_outside_the_graph(name, change, expected, grad_mode):
    p = trained()
    with mg.set_grad_enabled(grad_mode):
        change(p)
    np.testing.assert_allclose(p.array, expected, rtol=1e-6)
    assert p.is_leaf and p.requires_grad and p.grad_fn is None
    assert p._version == 0  # as PyTorch: .data has a version counter of its own


def test_data_of_a_non_leaf_changes_its_value_but_not_its_history():
    x = parameter([0.0, 1.0])
    y = x * 2.0
    z = y.sigmoid()  # saves its output z, not y
    y.data.mul_(3.0)
    assert y.tolist() == [0.0, 6.0] and y.grad_fn.name == "MulBackward" and y._version == 0
    z.sum().backward()
    s = 1 / (1 + np.exp(-np.array([0.0, 2.0])))
    np.testing.assert_allclose(x.grad.array, 2.0 * s * (1 - s), rtol=1e-6)


def test_assigning_data_swaps_the_array_and_grad_data_is_the_gradient():
    p = trained()
    p.grad.data.zero_()
    assert p.grad.tolist() == [0.0, 0.0, 0.0]
    p.data = mg.zeros(2)
    assert p.shape == (2,) and p.tolist() == [0.0, 0.0] and p.requires_grad
    with pytest.raises(TypeError, match="Tensor.data must be set to a Tensor, not list"):
        p.data = [1.0, 2.0]


# --------------------------------------------------------------------------- random fills
N = 40_000


@pytest.mark.parametrize("name, fill, mean, std", [
    ("normal_", lambda t: t.normal_(2.0, 0.5), 2.0, 0.5),
    ("uniform_", lambda t: t.uniform_(-1.0, 3.0), 1.0, 4.0 / np.sqrt(12)),
    ("uniform_ from/to", lambda t: t.uniform_(**{"from": 0.0, "to": 2.0}), 1.0, 2.0 / np.sqrt(12)),
    ("exponential_", lambda t: t.exponential_(4.0), 0.25, 0.25),
    ("bernoulli_", lambda t: t.bernoulli_(0.3), 0.3, np.sqrt(0.3 * 0.7)),
    ("log_normal_", lambda t: t.log_normal_(0.0, 0.25), np.exp(0.25 ** 2 / 2),
     np.sqrt((np.exp(0.25 ** 2) - 1) * np.exp(0.25 ** 2))),
    ("geometric_", lambda t: t.geometric_(0.5), 2.0, np.sqrt(0.5) / 0.5),
    ("random_(from, to)", lambda t: t.random_(3, 7), 4.5, np.sqrt((4 ** 2 - 1) / 12)),
    ("random_(to)", lambda t: t.random_(4), 1.5, np.sqrt((4 ** 2 - 1) / 12)),
])
def test_random_fills_have_their_distributions_moments(name, fill, mean, std):
    mg.manual_seed(0)
    t = mg.empty(N)
    assert fill(t) is t and t.dtype == np.float32 and t._version == 1
    # Sample moments within 6 standard errors of the published ones.
    assert abs(t.array.mean() - mean) < 6 * std / np.sqrt(N)
    assert abs(t.array.std() - std) < 0.05 * std


def test_random_integers_stay_in_their_bounds_and_keep_the_dtype():
    t = mg.empty(1000).random_(3, 7)
    assert set(np.unique(t.array)) == {3.0, 4.0, 5.0, 6.0}
    counts = mg.zeros(1000, dtype=mg.int64).random_(10)
    assert counts.dtype == np.int64 and counts.array.min() >= 0 and counts.array.max() <= 9
    assert set(np.unique(mg.empty(500).bernoulli_(0.5).array)) == {0.0, 1.0}
    cauchy = mg.empty(N).cauchy_(1.0, 2.0)
    assert abs(np.median(cauchy.array) - 1.0) < 0.1  # the median, since it has no mean


def test_a_generator_makes_the_draws_reproducible():
    draws = [mg.empty(5).normal_(generator=mg.Generator().manual_seed(7)).tolist() for _ in "ab"]
    assert draws[0] == draws[1]
    mg.manual_seed(3)
    first = mg.empty(4).uniform_().tolist()
    mg.manual_seed(3)
    assert mg.empty(4).uniform_().tolist() == first
    with pytest.raises(TypeError, match="unexpected keyword argument 'high'"):
        mg.empty(2).uniform_(high=3.0)


def test_random_fills_of_a_parameter_need_data_or_no_grad():
    p = parameter([1.0, 2.0])
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        p.normal_()
    p.data.normal_()  # the tutorials' initialisation
    with mg.no_grad():
        p.uniform_(5.0, 6.0)
    assert p.is_leaf and np.all((p.array >= 5.0) & (p.array < 6.0))


def test_integer_and_bool_augmented_operators():
    counts = mg.tensor([1, 2])
    counts += 1
    counts *= 3
    assert counts.tolist() == [6, 9] and counts.dtype == np.int64
    with pytest.raises(RuntimeError, match="result type float32 can't be cast to the desired "
                                           "output type int64"):
        counts += 1.5
    mask = mg.tensor([True, False])
    mask |= mg.tensor([False, True])
    assert mask.tolist() == [True, True]
    mask &= mg.tensor([True, False])
    mask ^= mg.tensor([True, True])
    assert mask.tolist() == [False, True]
    assert mg.tensor([7.0, -7.0]).div_(2.0, rounding_mode="floor").tolist() == [3.0, -4.0]


def test_scatter_fills_without_gradient():
    one_hot = mg.zeros(2, 3).scatter_(1, mg.tensor([[2], [0]]), value=1.0)
    assert one_hot.tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]] and one_hot._version == 1
