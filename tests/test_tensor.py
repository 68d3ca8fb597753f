"""Tensor construction, dtypes and PyTorch's promotion rules, properties, factories."""
import numpy as np
import pytest

import minigrad as mg


@pytest.mark.parametrize("data,dtype", [
    (1.5, np.float32), ([1.0, 2.0], np.float32), ([1, 2.5], np.float32), (3, np.int64),
    ([True, False], np.bool_), (np.ones(2), np.float64), (np.ones(2, np.float32), np.float32),
    (np.arange(3), np.int64), (np.float64(2.0), np.float64),
])
def test_construction_dtypes(data, dtype):
    assert mg.Tensor(data).dtype == dtype


@pytest.mark.parametrize("make", [lambda: mg.Tensor([1, 2], requires_grad=True),
                                  lambda: mg.tensor([True], requires_grad=True),
                                  lambda: mg.arange(3).requires_grad_()])
def test_integer_and_bool_tensors_cannot_require_grad(make):
    with pytest.raises(RuntimeError, match="only floating-point tensors can require gradients.*int64|bool"):
        make()


def test_non_numeric_data_is_refused():
    with pytest.raises(TypeError, match="dtype <U1"):
        mg.Tensor(["a"])


@pytest.mark.parametrize("tensor,scalar,expected", [
    (mg.ones(2), 2.5, np.float32), (mg.ones(2), 2, np.float32),
    (mg.ones(2, dtype=np.float64), 2.5, np.float64), (mg.arange(2), 2.5, np.float32),
    (mg.arange(2), 2, np.int64), (mg.tensor([True]), 2, np.int64),
    (mg.tensor([True]), 1.5, np.float32),
])
def test_scalar_promotion_follows_pytorch(tensor, scalar, expected):
    for result in (tensor * scalar, scalar * tensor, tensor + scalar, scalar - tensor):
        assert result.dtype == expected


@pytest.mark.parametrize("a,b,expected", [
    (np.float32, np.float64, np.float64), (np.int64, np.float32, np.float32),
    (np.int32, np.int64, np.int64), (np.bool_, np.float32, np.float32),
])
def test_tensor_tensor_promotion(a, b, expected):
    assert (mg.ones(2, dtype=a) * mg.ones(2, dtype=b)).dtype == expected


def test_integer_true_division_gives_float32():
    assert (mg.arange(1, 4) / mg.arange(1, 4)).dtype == np.float32
    assert (mg.arange(1, 4) / 2).dtype == np.float32


def test_numpy_scalars_and_arrays_on_the_left_keep_float32():
    x = mg.ones(2)
    assert (np.float64(2.0) * x).dtype == np.float32
    assert isinstance(np.ones(2, dtype=np.float32) * x, mg.Tensor)


def test_properties():
    x = mg.Tensor(np.zeros((2, 3)), requires_grad=True)
    y = x * 2.0
    assert x.shape == (2, 3) and x.ndim == 2 and x.numel() == 6 and x.size() == (2, 3)
    assert x.size(1) == 3 and x.dtype == np.float64 and x.T.shape == (3, 2)
    assert x.is_leaf and not y.is_leaf and y.requires_grad
    assert y.detach().grad_fn is None and y.detach().array is y.array
    assert mg.tensor([2.0]).item() == 2.0 and mg.tensor([[1, 2]]).tolist() == [[1, 2]]
    assert x.float().dtype == np.float32 and mg.ones(1).double().dtype == np.float64


def test_numpy_refuses_tensor_requiring_grad_and_item_refuses_many_elements():
    with pytest.raises(RuntimeError, match="detach"):
        mg.ones(2, requires_grad=True).numpy()
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        mg.ones(2).item()


def test_repr_is_readable():
    assert repr(mg.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "requires_grad=True" in repr(mg.ones(1, requires_grad=True))
    assert "grad_fn=<MulBackward>" in repr(mg.ones(1, requires_grad=True) * 2.0)
    assert "dtype=float64" in repr(mg.ones(1, dtype=np.float64))


def test_factories():
    assert mg.zeros(2, 3).shape == (2, 3) and mg.zeros((2, 3)).dtype == np.float32
    assert np.all(mg.ones(2).array == 1) and np.all(mg.full((2,), 7.0).array == 7.0)
    assert mg.full((2,), 7).dtype == np.int64
    assert mg.zeros_like(mg.ones(3, dtype=np.float64)).dtype == np.float64
    assert mg.ones_like(mg.zeros(2, 2)).shape == (2, 2)
    assert mg.arange(5).tolist() == [0, 1, 2, 3, 4] and mg.arange(0, 1, 0.5).dtype == np.float32
    np.testing.assert_array_equal(mg.eye(3).array, np.eye(3))
    assert mg.randn(4, 5).dtype == np.float32 and mg.rand(3).array.min() >= 0
    r = mg.randint(0, 10, (100,))
    assert r.dtype == np.int64 and 0 <= r.array.min() and r.array.max() < 10


def test_tensor_factory_copies_but_constructor_shares():
    array = np.zeros(2)
    mg.tensor(array).array[0] = 1
    assert array[0] == 0
    mg.Tensor(array).array[0] = 1
    assert array[0] == 1


def test_manual_seed_makes_every_random_op_reproducible():
    mg.manual_seed(42)
    first = (mg.randn(3).array, mg.rand(2).array, mg.randint(0, 5, (4,)).array)
    mg.manual_seed(42)
    second = (mg.randn(3).array, mg.rand(2).array, mg.randint(0, 5, (4,)).array)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    state = mg.get_rng_state()
    after = mg.randn(3).array
    mg.set_rng_state(state)
    np.testing.assert_array_equal(mg.randn(3).array, after)
    with pytest.raises(ValueError, match="non-negative integer"):
        mg.manual_seed(-1)


@pytest.mark.parametrize("bad,message", [
    (lambda: mg.randn(3, 4) @ mg.randn(5, 6), r"\(3, 4\) and \(5, 6\)"),
    (lambda: mg.randn(2, 3) + mg.randn(4), r"Add: .*\(2,3\) \(4,\)"),
    (lambda: mg.randn(2, 3) * mg.randn(3, 2), r"Mul: .*\(2,3\) \(3,2\)"),
    (lambda: mg.randn(6).reshape(4, 2), r"shape \(6,\) \(6 elements\) into shape \(4, 2\)"),
    (lambda: mg.randn(2, 3).expand(4, 4), r"shape \(2, 3\) to shape \(4, 4\)"),
    (lambda: mg.randn(2, 3).permute(0, 0), r"not a permutation.*\(2, 3\)"),
    (lambda: mg.randn(2, 3)[5], r"shape \(2, 3\)"),
    (lambda: mg.cat([mg.ones(2, 3), mg.ones(2, 4)]), r"tensor 1 has shape \(2, 4\)"),
    (lambda: mg.stack([mg.ones(2), mg.ones(3)]), r"tensor 0 has shape \(2,\) and tensor 1 has \(3,\)"),
    (lambda: mg.randn(2).sum(3), r"dimension 3 is out of range"),
    (lambda: mg.randint(5, 5, (2,)), r"low=5, high=5"),
    (lambda: mg.randn(2, 2) @ mg.tensor(1.0), r"at least 1 dimension"),
])
def test_errors_name_the_problem(bad, message):
    with pytest.raises((ValueError, IndexError, RuntimeError), match=message):
        bad()


def test_numpy_scalars_follow_the_same_promotion_as_python_scalars():
    assert (np.float32(2.5) * mg.arange(3)).tolist() == [0.0, 2.5, 5.0]
    assert (mg.arange(3) + np.int32(1)).dtype == np.int64
    assert (mg.ones(2) * np.float64(2.0)).dtype == np.float32


def test_non_numeric_operands_are_refused():
    with pytest.raises(TypeError, match="unsupported operand of type str"):
        mg.ones(2) + "a"
    with pytest.raises(TypeError, match="unsupported operand of type NoneType"):
        mg.ones(2) * None


def test_python_floats_keep_full_precision_when_a_dtype_is_given():
    value = 0.1234567890123
    assert mg.tensor(value, dtype=mg.float64).item() == value
    assert mg.tensor([value, -value], dtype=mg.float64).numpy().tolist() == [value, -value]
    assert mg.tensor(value).dtype == np.float32  # without one, the default dtype


# PyTorch's NumPy-style spellings of reductions' arguments: axis= for dim=, keepdims= for keepdim=.
ALIASED_REDUCTIONS = [
    ("sum", lambda a, axis, keep: a.sum(axis, keepdims=keep)),
    ("mean", lambda a, axis, keep: a.mean(axis, keepdims=keep)),
    ("amax", lambda a, axis, keep: a.max(axis, keepdims=keep)),
    ("amin", lambda a, axis, keep: a.min(axis, keepdims=keep)),
    ("std", lambda a, axis, keep: a.std(axis, ddof=1, keepdims=keep)),
    ("var", lambda a, axis, keep: a.var(axis, ddof=1, keepdims=keep)),
    ("logsumexp", lambda a, axis, keep: np.log(np.exp(a).sum(axis, keepdims=keep))),
    ("argmax", lambda a, axis, keep: a.argmax(axis, keepdims=keep)),
    ("argmin", lambda a, axis, keep: a.argmin(axis, keepdims=keep)),
    ("any", lambda a, axis, keep: (a > 0.5).any(axis, keepdims=keep)),
    ("all", lambda a, axis, keep: (a > 0.5).all(axis, keepdims=keep)),
]


@pytest.mark.parametrize("name, reference", ALIASED_REDUCTIONS, ids=[r[0] for r in ALIASED_REDUCTIONS])
@pytest.mark.parametrize("spelling", ["dim/keepdim", "axis/keepdims", "dim/keepdims", "axis/keepdim"])
def test_reductions_take_numpy_spellings_of_dim_and_keepdim(name, reference, spelling):
    data = np.random.default_rng(0).random((3, 4))
    x = mg.tensor(data > 0.5) if name in ("any", "all") else mg.tensor(data)
    dim_name, keep_name = spelling.split("/")
    out = getattr(x, name)(**{dim_name: 1, keep_name: True})
    np.testing.assert_allclose(out.array, reference(data, 1, True), rtol=1e-12)
    assert out.shape == (3, 1)


def test_max_with_axis_returns_values_and_indices_and_unknown_keywords_are_refused():
    x = mg.tensor([[1.0, 5.0], [7.0, 2.0]])
    values, indices = x.max(axis=1, keepdims=True)
    assert values.tolist() == [[5.0], [7.0]] and indices.tolist() == [[1], [0]]
    assert x.softmax(axis=0).sum(0).tolist() == pytest.approx([1.0, 1.0])
    assert x.log_softmax(axis=1).exp().sum(1).tolist() == pytest.approx([1.0, 1.0])
    assert x.unsqueeze(axis=0).shape == (1, 2, 2) and x[None].squeeze(axis=0).shape == (2, 2)
    assert x.sum(dtype=mg.float64).dtype == np.float64
    with pytest.raises(TypeError, match="sum\\(\\) got an unexpected keyword argument 'axes'"):
        x.sum(axes=1)


def test_module_level_reductions_take_input_and_numpy_spellings_by_keyword():
    x = mg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert mg.sum(input=x, dim=1).tolist() == [6.0, 15.0]
    assert mg.mean(x, axis=0, keepdims=True).tolist() == [[2.5, 3.5, 4.5]]
