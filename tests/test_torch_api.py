"""PyTorch's module-level surface on minigrad: dtypes, devices, math functions, creation
functions and comparisons, each against PyTorch's documented behaviour with NumPy float64
references (Tensor methods are in test_torch_methods.py)."""
import math

import numpy as np
import pytest

import minigrad as torch
from conftest import leaf

rng = np.random.default_rng(11)


# ------------------------------------------------------------------ dtypes
@pytest.mark.parametrize("name, expected", [
    ("float", np.float32), ("float32", np.float32), ("float64", np.float64),
    ("double", np.float64), ("int", np.int32), ("int32", np.int32), ("int64", np.int64),
    ("long", np.int64), ("bool", np.bool_), ("uint8", np.uint8)])
def test_dtype_names_work_as_dtype_arguments_and_compare_with_tensor_dtype(name, expected):
    dtype = getattr(torch, name)
    for t in (torch.zeros(2, dtype=dtype), torch.tensor([1, 0], dtype=dtype),
              torch.ones(2).to(dtype), torch.arange(2, dtype=dtype)):
        assert t.dtype == dtype and t.dtype == expected


def test_conversion_methods_and_type_names():
    x = torch.tensor([1.7, -2.2])
    assert x.float().dtype == torch.float32 and x.double().dtype == torch.float64
    assert x.long().tolist() == [1, -2] and x.int().dtype == torch.int32  # truncation
    assert x.bool().tolist() == [True, True]
    assert x.type() == "torch.FloatTensor" and x.long().type() == "torch.LongTensor"
    assert x.type(torch.float64).dtype == torch.float64
    assert x.type("torch.DoubleTensor").dtype == torch.float64
    with pytest.raises(TypeError, match="unknown tensor type name"):
        x.type("torch.Nonsense")


def test_default_dtype_can_be_float64_and_back():
    assert torch.get_default_dtype() == torch.float32
    torch.set_default_dtype(torch.float64)
    try:
        assert torch.get_default_dtype() == torch.float64
        assert torch.tensor([1.5]).dtype == torch.float64 and torch.zeros(2).dtype == torch.float64
        assert torch.linspace(0, 1, 3).dtype == torch.float64
        assert (torch.arange(3) / 2).dtype == torch.float64
    finally:
        torch.set_default_dtype(torch.float32)
    assert torch.tensor([1.5]).dtype == torch.float32
    with pytest.raises(TypeError, match="float32 or float64"):
        torch.set_default_dtype(torch.int64)


# ------------------------------------------------------------------ devices
def test_cpu_is_the_one_device():
    x = torch.ones(2)
    assert x.device == torch.device("cpu") and x.device == "cpu" and str(x.device) == "cpu"
    assert repr(torch.device("cuda:1")) == "device(type='cuda', index=1)"
    assert x.to("cpu") is x and x.cpu() is x and x.to(torch.device("cpu")) is x
    y = x.to("cpu", torch.float64)
    assert y.dtype == torch.float64 and x.to(y).dtype == torch.float64
    assert torch.zeros(2, device="cpu").device == "cpu"
    torch.set_default_device("cpu")
    assert not torch.cuda.is_available() and not torch.backends.mps.is_available()
    assert not torch.accelerator.is_available() and torch.accelerator.current_accelerator() is None


@pytest.mark.parametrize("make", [
    lambda: torch.ones(2).to("cuda"), lambda: torch.ones(2).cuda(),
    lambda: torch.zeros(2, device="cuda"), lambda: torch.tensor([1.0], device="mps"),
    lambda: torch.set_default_device("cuda"), lambda: torch.nn.Linear(2, 2).to("cuda:0"),
    lambda: torch.randn(3, device=torch.device("cuda"))])
def test_asking_for_an_accelerator_is_a_clear_error(make):
    with pytest.raises(RuntimeError, match="not supported by minigrad, which runs on the CPU"):
        make()


def test_module_to_device_and_dtype():
    model = torch.nn.Linear(2, 3)
    assert model.to("cpu") is model and model.cpu() is model
    model.to(torch.device("cpu"), torch.float64)
    assert model.weight.dtype == torch.float64 and model.bias.dtype == torch.float64


# ------------------------------------------------------------------ module-level functions
UNARY = [("sin", np.sin, None), ("cos", np.cos, None), ("exp", np.exp, None),
         ("log", np.log, "positive"), ("log1p", np.log1p, "positive"),
         ("sqrt", np.sqrt, "positive"), ("tanh", np.tanh, None),
         ("sigmoid", lambda a: 1 / (1 + np.exp(-a)), None), ("relu", lambda a: np.maximum(a, 0), None),
         ("abs", np.abs, None), ("neg", np.negative, None), ("square", np.square, None)]


@pytest.mark.parametrize("name, reference, domain", UNARY)
def test_elementwise_function_matches_numpy_and_the_method(name, reference, domain):
    data = rng.uniform(0.2, 2.0, (3, 4)) if domain else rng.standard_normal((3, 4))
    x = torch.tensor(data)  # float64
    np.testing.assert_allclose(getattr(torch, name)(x).numpy(), reference(data), rtol=1e-12)
    np.testing.assert_allclose(getattr(x, name)().numpy(), reference(data), rtol=1e-12)
    assert torch.gradcheck(getattr(torch, name), [leaf(data)])


@pytest.mark.parametrize("name", ["sin", "cos", "log1p", "neg"])
def test_new_primitives_have_second_derivatives(name):
    assert torch.gradgradcheck(getattr(torch, name), [leaf(rng.uniform(0.2, 2.0, (4,)))])


def test_log1p_is_accurate_where_log_of_1_plus_x_is_not():
    x = torch.tensor([1e-10], dtype=torch.float32)
    assert torch.log1p(x).item() == pytest.approx(1e-10, rel=1e-6)


def test_pow_clamp_add_sub_with_alpha():
    a = torch.tensor([1.0, 2.0, 3.0])
    assert torch.pow(a, 2).tolist() == [1.0, 4.0, 9.0] and a.pow(a).tolist() == [1.0, 4.0, 27.0]
    assert torch.clamp(a, min=1.5, max=2.5).tolist() == [1.5, 2.0, 2.5]
    assert torch.add(a, a, alpha=2).tolist() == [3.0, 6.0, 9.0]
    assert torch.sub(a, 1, alpha=3).tolist() == [-2.0, -1.0, 0.0]
    assert torch.mul(a, 2).tolist() == [2.0, 4.0, 6.0] and torch.div(a, 2).tolist() == [0.5, 1.0, 1.5]


def test_reductions_follow_pytorch():
    data = rng.standard_normal((3, 4))
    x = torch.tensor(data)
    assert torch.sum(x).item() == pytest.approx(data.sum())
    assert torch.mean(x, 1).tolist() == pytest.approx(data.mean(1).tolist())
    assert torch.std(x).item() == pytest.approx(data.std(ddof=1))  # Bessel's correction
    assert torch.var(x, 0, unbiased=False).tolist() == pytest.approx(data.var(0).tolist())
    values, indices = torch.max(x, dim=1)
    assert values.tolist() == data.max(1).tolist() and indices.tolist() == data.argmax(1).tolist()
    assert indices.dtype == torch.int64
    values, indices = torch.min(x, 0, keepdim=True)
    assert values.shape == (1, 4) and indices.tolist() == [data.argmin(0).tolist()]
    assert torch.max(x).item() == data.max() and torch.argmax(x).item() == data.argmax()
    assert torch.argmin(x, dim=0).tolist() == data.argmin(0).tolist()
    assert torch.numel(x) == 12


@pytest.mark.parametrize("p, reference", [
    ("fro", lambda a: np.sqrt((a ** 2).sum())), (2, lambda a: np.sqrt((a ** 2).sum())),
    (1, lambda a: np.abs(a).sum()), (math.inf, lambda a: np.abs(a).max()),
    (3, lambda a: (np.abs(a) ** 3).sum() ** (1 / 3))])
def test_norm(p, reference):
    data = rng.standard_normal((3, 4))
    assert torch.norm(torch.tensor(data), p=p).item() == pytest.approx(reference(data))
    along = torch.tensor(data).norm(p, dim=1)
    assert along.tolist() == pytest.approx([reference(row) for row in data])
    if p != math.inf:
        assert torch.gradcheck(lambda t: t.norm(p), [leaf(data)])


def test_shape_functions():
    x = torch.arange(24).reshape(2, 3, 4)
    assert torch.flatten(x).shape == (24,) and torch.flatten(x, 1).shape == (2, 12)
    assert torch.reshape(x, (4, 6)).shape == (4, 6)
    assert torch.transpose(x, 0, 2).shape == (4, 3, 2) and torch.permute(x, (2, 0, 1)).shape == (4, 2, 3)
    assert torch.unsqueeze(x, 1).shape == (2, 1, 3, 4) and torch.squeeze(torch.ones(1, 3, 1)).shape == (3,)
    assert torch.cat([x, x], dim=2).shape == (2, 3, 8) and torch.stack([x, x], 1).shape == (2, 2, 3, 4)
    m = torch.arange(6).reshape(2, 3)
    assert torch.t(m).tolist() == [[0, 3], [1, 4], [2, 5]] and m.t().shape == (3, 2)
    assert torch.ones(3).t().shape == (3,)
    with pytest.raises(RuntimeError, match="at most 2 dimensions"):
        x.t()


def test_products():
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(torch.mm(torch.tensor(a), torch.tensor(b)).numpy(), a @ b)
    np.testing.assert_allclose(torch.tensor(a).mm(torch.tensor(b)).numpy(), a @ b)
    np.testing.assert_allclose(torch.matmul(torch.tensor(a), torch.tensor(b)).numpy(), a @ b)
    batch = rng.standard_normal((5, 2, 3))
    np.testing.assert_allclose(torch.bmm(torch.tensor(batch), torch.tensor(batch).transpose(1, 2)).numpy(),
                               batch @ batch.transpose(0, 2, 1))
    v = rng.standard_normal(4)
    assert torch.dot(torch.tensor(v), torch.tensor(v)).item() == pytest.approx(v @ v)
    with pytest.raises(RuntimeError, match=r"mm expects two 2-d tensors.*\(2, 3\) and \(2, 3\)"):
        torch.mm(torch.tensor(a), torch.tensor(a))
    with pytest.raises(RuntimeError, match="bmm expects two 3-d"):
        torch.bmm(torch.tensor(a), torch.tensor(b))
    with pytest.raises(RuntimeError, match="dot expects two 1-d tensors"):
        torch.dot(torch.tensor(a), torch.tensor(a))


def test_creation():
    x = torch.linspace(-1, 1, 5)
    assert x.dtype == torch.float32 and x.tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert torch.logspace(0, 3, 4, base=2).tolist() == [1.0, 2.0, 4.0, 8.0]
    assert torch.arange(0, 1, 0.25).tolist() == [0.0, 0.25, 0.5, 0.75]
    array = np.zeros(3)
    shared = torch.from_numpy(array)
    array[0] = 7
    assert shared[0].item() == 7 and shared.dtype == torch.float64
    copied = torch.tensor(array)
    array[1] = 5
    assert copied[1].item() == 0
    assert torch.empty(2, 3).shape == (2, 3) and torch.empty_like(copied).shape == (3,)
    assert torch.full_like(copied, 2).tolist() == [2.0] * 3
    assert torch.randn_like(torch.zeros(100, 100)).dtype == torch.float32
    assert abs(torch.randn_like(torch.zeros(100, 100)).mean().item()) < 0.05
    assert 0 <= torch.rand_like(torch.zeros(10)).min().item()
    assert sorted(torch.randperm(10).tolist()) == list(range(10))
    assert torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]).tolist() == [1.0, 2.0]
    with pytest.raises(TypeError, match="from_numpy expects a NumPy array"):
        torch.from_numpy([1, 2])


def test_comparisons():
    a, b = torch.tensor([1, 2, 3]), torch.tensor([3, 2, 1])
    assert torch.eq(a, b).tolist() == [False, True, False] and a.eq(b).dtype == torch.bool
    assert torch.ne(a, b).tolist() == [True, False, True] and a.ne(2).tolist() == [True, False, True]
    assert torch.gt(a, b).tolist() == [False, False, True] and a.lt(b).tolist() == [True, False, False]
    assert torch.ge(a, 2).tolist() == [False, True, True] and a.le(2).tolist() == [True, True, False]
    assert ((a > 1) & (b > 1)).tolist() == [False, True, False] and (~(a > 1)).tolist() == [True, False, False]
    x = torch.tensor([1.0, 2.0])
    assert torch.allclose(x, x + 1e-9) and not torch.allclose(x, x + 1e-3)
    assert torch.isclose(x, torch.tensor([1.0, 2.1])).tolist() == [True, False]
    assert torch.equal(x, torch.tensor([1.0, 2.0])) and not torch.equal(x, torch.tensor([1.0]))
    assert (a == b).any() and not (a == b).all() and a.all()


def test_max_and_min_of_two_tensors_are_elementwise():
    a, b = torch.tensor([1.0, 5.0]), torch.tensor([3.0, 2.0])
    assert torch.max(a, b).tolist() == [3.0, 5.0] and torch.min(a, b).tolist() == [1.0, 2.0]


def test_manual_seed_returns_the_default_generator_which_is_the_framework_stream():
    generator = torch.manual_seed(7)
    assert generator is torch.default_generator and generator.initial_seed() == 7
    first = torch.randn(3)
    generator.manual_seed(7)  # re-seeding the default generator re-seeds the stream
    assert torch.equal(torch.randn(3), first)
    torch.manual_seed(7)
    assert torch.equal(torch.randn(3, generator=torch.default_generator), first)


# ------------------------------------------------------------------ more elementwise functions
X_POSITIVE = np.random.default_rng(40).uniform(0.5, 3.0, (3, 4))


@pytest.mark.parametrize("name,reference", [
    ("reciprocal", lambda x: 1 / x), ("rsqrt", lambda x: 1 / np.sqrt(x)),
    ("log2", lambda x: np.log(x) / np.log(2)), ("log10", lambda x: np.log(x) / np.log(10)),
    ("expm1", lambda x: np.exp(x) - 1), ("sinh", lambda x: (np.exp(x) - np.exp(-x)) / 2),
    ("cosh", lambda x: (np.exp(x) + np.exp(-x)) / 2),
    ("erf", lambda x: np.vectorize(math.erf)(x)),
])
def test_differentiable_elementwise_functions_match_their_definitions(name, reference):
    x = leaf(X_POSITIVE)
    np.testing.assert_allclose(getattr(torch, name)(x).array, reference(X_POSITIVE), rtol=1e-12)
    np.testing.assert_allclose(getattr(x, name)().array, reference(X_POSITIVE), rtol=1e-12)
    assert torch.gradcheck(getattr(torch, name), [leaf(X_POSITIVE)])


def test_rounding_signs_and_tests_have_no_gradient_and_follow_pytorch():
    x = torch.tensor([-1.5, -0.5, 0.5, 2.5, 0.0], requires_grad=True)
    assert torch.round(x).tolist() == [-2.0, -0.0, 0.0, 2.0, 0.0]  # half to even
    assert torch.round(torch.tensor([1.2345]), decimals=2).tolist() == [pytest.approx(1.23)]
    assert x.floor().tolist() == [-2, -1, 0, 2, 0] and x.ceil().tolist() == [-1, -0.0, 1, 3, 0]
    assert x.trunc().tolist() == [-1, -0.0, 0, 2, 0] and x.sign().tolist() == [-1, -1, 1, 1, 0]
    assert not x.floor().requires_grad
    special = torch.tensor([1.0, float("nan"), float("inf"), -float("inf")])
    assert special.isnan().tolist() == [False, True, False, False]
    assert torch.isinf(special).tolist() == [False, False, True, True]
    assert torch.isfinite(special).logical_not().tolist() == [False, True, True, True]
    big = np.finfo(np.float32).max
    assert torch.nan_to_num(special).tolist() == [1.0, 0.0, big, -big]
    assert torch.logical_and(torch.tensor([True, False]), torch.tensor([True, True])).tolist() \
        == [True, False]


def test_remainder_and_fmod_follow_the_divisors_and_the_dividends_sign():
    x = torch.tensor([-3.0, 3.0])
    assert torch.remainder(x, 2).tolist() == [1.0, 1.0]  # Python's %
    assert torch.fmod(x, 2).tolist() == [-1.0, 1.0]  # C's fmod
    assert torch.lerp(torch.zeros(2), torch.ones(2) * 4, 0.25).tolist() == [1.0, 1.0]


def test_shape_helpers_against_numpy():
    a = np.arange(12.0).reshape(3, 4)
    x = leaf(a)
    np.testing.assert_array_equal(torch.flip(x, (0, 1)).array, a[::-1, ::-1])
    np.testing.assert_array_equal(x.flip(1).array, np.flip(a, 1))
    assert [t.tolist() for t in torch.unbind(x, 1)] == [list(c) for c in a.T]
    for offset in (0, 1, -2):
        np.testing.assert_array_equal(torch.diag(x, offset).array, np.diag(a, offset))
        np.testing.assert_array_equal(torch.diag(leaf([1.0, 2.0]), offset).array,
                                      np.diag([1.0, 2.0], offset))
    np.testing.assert_array_equal(torch.outer(leaf([1.0, 2.0]), leaf([3.0, 4.0, 5.0])).array,
                                  np.outer([1, 2], [3, 4, 5]))
    np.testing.assert_array_equal(torch.masked_select(x, x > 6).array, a[a > 6])
    np.testing.assert_array_equal(torch.nonzero(x > 9).array, np.argwhere(a > 9))
    assert [t.tolist() for t in torch.nonzero(x > 9, as_tuple=True)] == [[2, 2], [2, 3]]
    assert x.unflatten(1, (2, -1)).shape == (3, 2, 2) and x.is_contiguous()
    assert torch.hstack([x, x]).shape == (3, 8) and torch.vstack([x[0], x[1]]).shape == (2, 4)
    assert torch.amax(x, 1).tolist() == [3.0, 7.0, 11.0] and torch.amin(x).item() == 0.0
    assert torch.all(x >= 0).item() and not torch.any(x > 11).item()
    assert torch.is_floating_point(x) and not torch.is_floating_point(torch.tensor([1]))
    for fn in (lambda t: t.flip(0), lambda t: t.diag(1), lambda t: t.unbind(0)[1],
               lambda t: t.masked_select(torch.tensor(a > 4))):
        assert torch.gradcheck(fn, [leaf(a)])
    with pytest.raises(ValueError, match=r"1-D or 2-D tensor; got shape \(1, 1, 1\)"):
        torch.diag(torch.ones(1, 1, 1))


def test_meshgrid_cdist_new_constructors_and_limits():
    i, j = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="ij")
    ni, nj = np.meshgrid(np.arange(3), np.arange(2), indexing="ij")
    assert i.tolist() == ni.tolist() and j.tolist() == nj.tolist()
    xs, ys = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="xy")
    nx, ny = np.meshgrid(np.arange(3), np.arange(2), indexing="xy")
    assert xs.tolist() == nx.tolist() and ys.tolist() == ny.tolist()
    a, b = np.random.default_rng(3).standard_normal((2, 4, 3))
    expected = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    np.testing.assert_allclose(torch.cdist(leaf(a), leaf(b)).array, expected, rtol=1e-12)
    x = torch.ones(2, dtype=torch.float64)
    assert x.new_zeros(3).dtype == torch.float64 and x.new_ones((2, 2)).shape == (2, 2)
    assert x.new_full((2,), 5.0).tolist() == [5.0, 5.0] and x.new_tensor([1, 2]).dtype == torch.float64
    assert torch.ones(2).type_as(x).dtype == torch.float64
    assert torch.finfo(torch.float32).eps == np.finfo(np.float32).eps
    assert torch.iinfo(torch.int64).max == 2 ** 63 - 1
    assert torch.det(torch.eye(3) * 2).item() == pytest.approx(8.0)
    np.testing.assert_allclose(torch.inverse(torch.eye(2) * 4).numpy(), np.eye(2) / 4)
    with pytest.raises(ValueError, match="indexing must be 'ij' or 'xy'; got 'yx'"):
        torch.meshgrid(torch.arange(2), indexing="yx")


def test_products_medians_and_moments():
    a = np.random.default_rng(41).standard_normal((3, 5))
    a[1, 2] = 0.0  # a zero: the product's gradient must still be the product of the others
    x = leaf(a)
    np.testing.assert_allclose(torch.prod(x, 1).array, np.prod(a, 1), rtol=1e-12)
    assert torch.prod(x).item() == pytest.approx(np.prod(a)) and x.prod(0, keepdim=True).shape == (1, 5)
    torch.prod(x, 1).sum().backward()
    others = np.array([[np.prod(np.delete(row, j)) for j in range(5)] for row in a])
    np.testing.assert_allclose(x.grad.array, others, rtol=1e-12, atol=1e-15)
    assert torch.gradcheck(lambda t: t.prod(0), [leaf(a)])
    values, indices = torch.median(x, 1)
    lower = np.sort(a, 1)[:, 2]  # PyTorch's median is the lower one: element (n - 1) // 2
    np.testing.assert_array_equal(values.array, lower)
    np.testing.assert_array_equal(a[np.arange(3), indices.array], lower)
    assert torch.median(torch.tensor([4.0, 1.0, 3.0, 2.0])).item() == 2.0
    std, mean = torch.std_mean(x, 1)
    np.testing.assert_allclose(std.array, a.std(1, ddof=1), rtol=1e-12)
    np.testing.assert_allclose(mean.array, a.mean(1), rtol=1e-12)
    var, _ = torch.var_mean(x, 0, correction=0)
    np.testing.assert_allclose(var.array, a.var(0), rtol=1e-12)
    assert torch.clamp_min(x, 0.5).min().item() == 0.5 and x.clamp_max(0.0).max().item() == 0.0


def test_roll_tile_repeat_interleave_diff_narrow_against_numpy():
    a = np.arange(12.0).reshape(3, 4)
    x = leaf(a)
    np.testing.assert_array_equal(torch.roll(x, 1, 1).array, np.roll(a, 1, 1))
    np.testing.assert_array_equal(x.roll((1, -2), (0, 1)).array, np.roll(a, (1, -2), (0, 1)))
    np.testing.assert_array_equal(torch.roll(x, 5).array, np.roll(a, 5))
    np.testing.assert_array_equal(torch.tile(x, (2,)).array, np.tile(a, (2,)))
    np.testing.assert_array_equal(x.tile(2, 1, 3).array, np.tile(a, (2, 1, 3)))
    np.testing.assert_array_equal(torch.repeat_interleave(x, 2).array, np.repeat(a, 2))
    np.testing.assert_array_equal(x.repeat_interleave(torch.tensor([1, 0, 2]), dim=0).array,
                                  np.repeat(a, [1, 0, 2], axis=0))
    np.testing.assert_array_equal(torch.diff(x).array, np.diff(a))
    np.testing.assert_array_equal(x.diff(2, 0).array, np.diff(a, 2, 0))
    np.testing.assert_array_equal(torch.diff(x, prepend=torch.zeros(3, 1)).array,
                                  np.diff(a, prepend=0))
    np.testing.assert_array_equal(torch.narrow(x, 1, 1, 2).array, a[:, 1:3])
    for fn in (lambda t: t.roll(1, 0), lambda t: t.tile(2), lambda t: t.repeat_interleave(2, 1),
               lambda t: t.diff()):
        assert torch.gradcheck(fn, [leaf(a)])
    with pytest.raises(ValueError, match=r"shifts \(1, 2\) and dims \(0,\) differ in length"):
        x.roll((1, 2), (0,))


def test_products_rearrangements_and_searches_against_numpy():
    r = np.random.default_rng(43)
    a, b, c = r.standard_normal((4, 5)), r.standard_normal((5, 3)), r.standard_normal((3, 4, 5))
    np.testing.assert_allclose(torch.mv(leaf(a), leaf(b[:, 0])).array, a @ b[:, 0], rtol=1e-12)
    np.testing.assert_allclose(torch.inner(leaf(c), leaf(a)).array, np.inner(c, a), rtol=1e-12)
    np.testing.assert_allclose(torch.addmm(leaf(a @ b), leaf(a), leaf(b), beta=0.5, alpha=2).array,
                               2.5 * (a @ b), rtol=1e-12)
    d = r.standard_normal((4, 5, 2))
    np.testing.assert_allclose(torch.tensordot(leaf(c), leaf(d), 2).array,
                               np.tensordot(c, d, 2), rtol=1e-12)
    np.testing.assert_allclose(torch.tensordot(leaf(c), leaf(a.T), dims=([1, 2], [1, 0])).array,
                               np.tensordot(c, a.T, ([1, 2], [1, 0])), rtol=1e-12)
    np.testing.assert_array_equal(torch.movedim(leaf(c), (0, 1), (2, 0)).array,
                                  np.moveaxis(c, (0, 1), (2, 0)))
    np.testing.assert_array_equal(torch.swapaxes(leaf(c), 0, 2).array, np.swapaxes(c, 0, 2))
    order = np.argsort(a, 1)
    np.testing.assert_array_equal(torch.take_along_dim(leaf(a), torch.tensor(order), 1).array,
                                  np.take_along_axis(a, order, 1))
    np.testing.assert_allclose(torch.clip(leaf(a), -0.5, 0.5).array, np.clip(a, -0.5, 0.5))
    big = leaf(a * 300)
    np.testing.assert_allclose(torch.logaddexp(big, leaf(b[:4, :1] * 300)).array,
                               np.logaddexp(a * 300, b[:4, :1] * 300), rtol=1e-12)
    assert torch.gradcheck(torch.logaddexp, [leaf(a), leaf(a.T.copy().T[::-1].copy())])
    assert torch.gradcheck(lambda x, y: torch.tensordot(x, y, 2), [leaf(c), leaf(d)])
    with_nan = a.copy()
    with_nan[0, 1] = np.nan
    np.testing.assert_allclose(torch.nanmean(leaf(with_nan), 1).array, np.nanmean(with_nan, 1),
                               rtol=1e-12)
    np.testing.assert_allclose(torch.quantile(leaf(a), 0.3, dim=1).array,
                               np.quantile(a, 0.3, axis=1), rtol=1e-12)
    np.testing.assert_allclose(torch.quantile(leaf(a), [0.1, 0.9], dim=0, keepdim=True).array,
                               np.quantile(a, [0.1, 0.9], axis=0, keepdims=True), rtol=1e-12)
    assert torch.quantile(leaf(a), 0.75).item() == pytest.approx(np.quantile(a, 0.75))
    assert torch.gradcheck(lambda x: torch.quantile(x, 0.3, dim=1), [leaf(a)])
    ints = r.integers(0, 6, 20)
    np.testing.assert_array_equal(torch.bincount(torch.tensor(ints), minlength=8).array,
                                  np.bincount(ints, minlength=8))
    np.testing.assert_array_equal(torch.histc(leaf(a), bins=4, min=-1, max=1).array,
                                  np.histogram(a[(a >= -1) & (a <= 1)], 4, (-1, 1))[0])
    edges, values = np.sort(r.standard_normal(6)), r.standard_normal((3, 2))
    np.testing.assert_array_equal(torch.searchsorted(leaf(edges), leaf(values)).array,
                                  np.searchsorted(edges, values))
    np.testing.assert_array_equal(torch.bucketize(leaf(values), leaf(edges), right=True).array,
                                  np.searchsorted(edges, values, "right"))
    with pytest.raises(ValueError, match=r"q must be in \[0, 1\]; got \[1.5\]"):
        torch.quantile(leaf(a), 1.5)


def test_print_options_and_the_determinism_flag():
    try:
        torch.set_printoptions(precision=2)
        assert repr(torch.tensor([1.23456])) == "tensor([1.23])"
        torch.set_printoptions(sci_mode=False)
        assert "e-05" not in repr(torch.tensor([1e-5, 1.0]))
    finally:
        torch.set_printoptions(profile="default", sci_mode=True)
    assert repr(torch.tensor([1.23456])) == "tensor([1.23456])"
    torch.use_deterministic_algorithms(True)
    assert torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(False)
    with pytest.raises(ValueError, match="profile must be 'default', 'short' or 'full'"):
        torch.set_printoptions(profile="long")


def test_factories_take_size_as_a_keyword_and_normal_can_make_a_leaf():
    assert torch.randn(size=(2, 3)).shape == (2, 3) and torch.zeros(size=(4,)).shape == (4,)
    assert torch.ones(size=3).shape == (3,) and torch.rand(size=[2, 2]).shape == (2, 2)
    assert torch.empty(size=(1, 2)).shape == (1, 2)
    weight = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    assert weight.requires_grad and weight.is_leaf and weight.shape == (2, 1)
    with pytest.raises(TypeError, match="the size is given twice"):
        torch.zeros(2, size=(2,))


def test_legacy_tensor_types_and_accumulation_dtype():
    x = torch.FloatTensor([1, 2])
    assert x.dtype == torch.float32 and x.tolist() == [1.0, 2.0]
    assert torch.LongTensor(2, 3).shape == (2, 3) and torch.LongTensor([1]).dtype == torch.int64
    assert isinstance(x, torch.FloatTensor) and not isinstance(x, torch.LongTensor)
    assert x.type(torch.DoubleTensor).dtype == torch.float64
    assert torch.sum(torch.ones(3), dtype=torch.float64).dtype == torch.float64
    assert torch.ones(2, 3).mean(1, dtype=torch.float64).dtype == torch.float64
