"""PyTorch's tensor surface on minigrad: dtypes, devices, module-level functions, Tensor
methods, creation functions and comparisons, each against PyTorch's documented behaviour
with NumPy float64 references."""
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


# ------------------------------------------------------------------ Tensor methods
def test_small_tensor_methods():
    x = torch.arange(6.0).reshape(2, 3)
    assert x.view_as(torch.zeros(3, 2)).shape == (3, 2) and x.reshape_as(torch.zeros(6)).shape == (6,)
    assert torch.ones(1, 3).expand_as(x).shape == (2, 3)
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert x.size(1) == 3 and x.size() == (2, 3) and x.dim() == 2 and x.nelement() == 6
    assert len(x) == 2 and [row.tolist() for row in x] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    labels = ["a", "b", "c"]
    assert labels[torch.tensor([0.0, 5.0, 1.0]).argmax()] == "b"
    clone = x.clone()
    clone.fill_(1.5)
    assert x[0, 0].item() == 0.0 and clone.sum().item() == 9.0
    clone.copy_(x)
    assert torch.equal(clone, x)


def test_in_place_arithmetic_with_alpha():
    x = torch.ones(3)
    x.add_(torch.tensor([1.0, 2.0, 3.0]), alpha=2)
    assert x.tolist() == [3.0, 5.0, 7.0]
    x.sub_(1, alpha=2).mul_(2).div_(4)
    assert x.tolist() == [0.5, 1.5, 2.5] and x._version == 4
    x.zero_()
    assert x.tolist() == [0.0] * 3


def test_the_tutorials_manual_update():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    (w * w).sum().backward()
    with torch.no_grad():
        w -= 0.1 * w.grad  # in place: w stays the same leaf
        w.grad.zero_()
    assert w.tolist() == pytest.approx([0.8, -1.6]) and w.is_leaf and w.requires_grad
    assert w.grad.tolist() == [0.0, 0.0]
    w.grad = None
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        w -= 1.0


def test_augmented_assignment_on_a_graph_tensor_keeps_the_gradient_right():
    x = leaf([1.0, 2.0])
    y = x * 2
    y *= x  # recorded: y = 2 x * x, not a silent in-place change
    y += 1
    y.sum().backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_requires_grad_and_retain_grad():
    x = torch.ones(2).requires_grad_()
    assert x.requires_grad
    y = x * 3
    y.retain_grad()
    (y * y).sum().backward()
    assert y.grad.tolist() == [6.0, 6.0] and x.grad.tolist() == [18.0, 18.0]


# ------------------------------------------------------------------ nn additions
def test_smooth_l1_loss_matches_its_formula():
    x, y = rng.standard_normal(20) * 2, rng.standard_normal(20)
    for beta in (1.0, 0.5):
        d = np.abs(x - y)
        expected = np.where(d < beta, 0.5 * d ** 2 / beta, d - 0.5 * beta)
        got = torch.nn.functional.smooth_l1_loss(torch.tensor(x), torch.tensor(y), beta=beta)
        assert got.item() == pytest.approx(expected.mean())
        summed = torch.nn.SmoothL1Loss(reduction="sum", beta=beta)(torch.tensor(x), torch.tensor(y))
        assert summed.item() == pytest.approx(expected.sum())
    assert torch.gradcheck(lambda a: torch.nn.functional.smooth_l1_loss(a, torch.tensor(y)),
                           [leaf(x)])


def test_unflatten_and_reprs():
    layer = torch.nn.Unflatten(1, (1, 28, 28))
    assert layer(torch.zeros(4, 784)).shape == (4, 1, 28, 28)
    assert repr(layer) == "Unflatten(dim=1, unflattened_size=(1, 28, 28))"
    assert repr(torch.nn.Linear(3, 2)) == "Linear(in_features=3, out_features=2, bias=True)"
    assert repr(torch.nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


def test_save_and_load_accept_pytorchs_arguments(tmp_path):
    model = torch.nn.Linear(2, 2)
    torch.save(model.state_dict(), tmp_path / "m.pth")
    state = torch.load(tmp_path / "m.pth", weights_only=True, map_location="cpu")
    assert torch.equal(state["weight"], model.weight.detach())
    with pytest.raises(RuntimeError, match="not supported by minigrad"):
        torch.load(tmp_path / "m.pth", map_location="cuda")


def test_module_apply_and_state_dict_follow_pytorchs_order():
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.stack = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
            self.register_buffer("steps", torch.zeros(1))
            self.norm = torch.nn.BatchNorm1d(2)

    net = Net()
    visited = []
    net.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "ReLU", "Sequential", "BatchNorm1d", "Net"]
    assert list(net.state_dict()) == ["steps", "stack.0.weight", "stack.0.bias", "norm.weight",
                                      "norm.bias", "norm.running_mean", "norm.running_var",
                                      "norm.num_batches_tracked"]


def test_integer_inputs_of_transcendental_functions_give_float32():
    assert torch.sqrt(torch.tensor([4])).tolist() == [2.0]
    assert torch.sqrt(torch.tensor([4])).dtype == torch.float32
    assert torch.exp(torch.tensor([0])).dtype == torch.float32 and torch.sin(torch.arange(3)).dtype == torch.float32


def test_import_minigrad_as_torch_reaches_utils_data():
    assert torch.utils.data.DataLoader is torch.data.DataLoader
    assert torch.utils.data.random_split is torch.data.random_split


def test_in_place_change_of_a_graph_tensor_is_refused_not_silently_wrong():
    x = leaf([1.0, 2.0])
    y = x * 2
    with pytest.raises(RuntimeError, match="output of MulBackward.*not supported by minigrad"):
        y.mul_(2)
    with torch.no_grad():
        y.mul_(2)  # allowed, as a deliberate change outside the graph


def test_integer_floor_division_and_remainder():
    a = torch.tensor([7, -7])
    assert (a // 2).tolist() == [3, -4] and (a % 3).tolist() == [1, 2]  # Python's (floor) rules


def test_a_dataset_of_single_tensors_gives_tensor_batches():
    class Squares(torch.data.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return torch.tensor([float(i * i)])

    batches = list(torch.utils.data.DataLoader(Squares(), batch_size=2))
    assert isinstance(batches[0], torch.Tensor) and batches[0].shape == (2, 1)
    assert batches[2].tolist() == [[16.0]]


def test_writing_a_graph_tensor_into_another_is_refused():
    w = leaf([1.0, 2.0])
    out = torch.zeros(2)
    with pytest.raises(RuntimeError, match="gradient would not flow.*stack"):
        out[0] = w[0] * 2
    with pytest.raises(RuntimeError, match="gradient would not flow"):
        out.copy_(w * 2)
    out[0] = w[0].detach()
    assert out.tolist() == [1.0, 0.0]


def test_scatter_makes_the_transforms_tutorials_one_hot():
    one_hot = torch.zeros(10, dtype=torch.float).scatter_(0, torch.tensor(3), value=1)
    assert one_hot.tolist() == [0.0, 0.0, 0.0, 1.0] + [0.0] * 6
    x = torch.zeros(2, 3).scatter_(1, torch.tensor([[2], [0]]), torch.tensor([[5.0], [7.0]]))
    assert x.tolist() == [[0.0, 0.0, 5.0], [7.0, 0.0, 0.0]]
    with pytest.raises(TypeError, match="exactly one of src and value"):
        torch.zeros(3).scatter_(0, torch.tensor([1]))


def test_out_arguments_of_the_tensor_tutorial():
    t = torch.ones(2, 2)
    y3 = torch.rand_like(t)
    result = torch.matmul(t, t.T, out=y3)
    assert result is y3 and y3.tolist() == [[2.0, 2.0], [2.0, 2.0]]
    z3 = torch.rand_like(t)
    torch.mul(t, t * 3, out=z3)
    assert z3.tolist() == [[3.0, 3.0], [3.0, 3.0]]
    with pytest.raises(RuntimeError, match=r"out= has shape \(3,\)"):
        torch.add(t, t, out=torch.zeros(3))


def test_generator_and_inference_mode():
    data = torch.data.TensorDataset(torch.arange(20))
    first = [s.indices.tolist() for s in torch.data.random_split(
        data, [0.5, 0.5], generator=torch.Generator().manual_seed(42))]
    again = [s.indices.tolist() for s in torch.data.random_split(
        data, [0.5, 0.5], generator=torch.Generator().manual_seed(42))]
    assert first == again
    with torch.inference_mode():
        assert not (torch.ones(1, requires_grad=True) * 2).requires_grad
    with torch.inference_mode(False):
        assert (torch.ones(1, requires_grad=True) * 2).requires_grad


def test_format_of_a_0d_tensor_formats_its_value():
    assert "{:+.2f}".format(torch.tensor(1.234)) == "+1.23"
    assert f"{torch.tensor(7):>3d}" == "  7"
    assert "{}".format(torch.tensor([1, 2])) == "tensor([1, 2])"


def test_inplace_flags_are_accepted_and_give_the_same_values():
    x = torch.tensor([-1.0, 2.0])
    assert torch.nn.ReLU(inplace=True)(x).tolist() == [0.0, 2.0] and x.tolist() == [-1.0, 2.0]
    assert repr(torch.nn.ReLU(inplace=True)) == "ReLU(inplace=True)" and repr(torch.nn.ReLU()) == "ReLU()"
    assert torch.nn.functional.relu(x, inplace=True).tolist() == [0.0, 2.0]
    assert torch.nn.LeakyReLU(0.1, inplace=True)(x).tolist() == pytest.approx([-0.1, 2.0])
    assert torch.nn.functional.dropout(x, 0.5, training=False, inplace=True).tolist() == [-1.0, 2.0]
