"""PyTorch's Tensor methods, in-place rules, nn and data additions on minigrad, each against
PyTorch's documented behaviour (the module-level surface is in test_torch_api.py)."""
import numpy as np
import pytest

import minigrad as torch
from conftest import leaf

rng = np.random.default_rng(12)


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
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
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


def test_inplace_flags_change_the_input_as_in_pytorch():
    x = torch.tensor([-1.0, 2.0])
    out = torch.nn.ReLU(inplace=True)(x)
    assert out is x and x.tolist() == [0.0, 2.0]
    assert repr(torch.nn.ReLU(inplace=True)) == "ReLU(inplace=True)" and repr(torch.nn.ReLU()) == "ReLU()"
    x = torch.tensor([-1.0, 2.0])
    assert torch.nn.functional.relu(x, inplace=False).tolist() == [0.0, 2.0] and x.tolist() == [-1.0, 2.0]
    assert torch.nn.LeakyReLU(0.1, inplace=True)(x) is x and x.tolist() == pytest.approx([-0.1, 2.0])
    x = torch.tensor([-1.0, 2.0])
    assert torch.nn.ELU(inplace=True)(x) is x and x.tolist() == pytest.approx([np.expm1(-1.0), 2.0])
    assert torch.nn.functional.dropout(x, 0.5, training=False, inplace=True) is x
    torch.nn.Dropout(1.0, inplace=True)(x)
    assert x.tolist() == [0.0, 0.0]


def test_shapes_compare_equal_to_a_size():
    x = torch.zeros(2, 3)
    assert x.shape == torch.Size([2, 3]) and x.size() == torch.Size((2, 3))
    assert torch.Size([2, 3]).numel() == 6 and repr(torch.Size([2, 3])) == "Size([2, 3])"


NUMPY_KEYWORDS = [  # PyTorch accepts NumPy's axis= and keepdims= for dim= and keepdim=
    ("sum", lambda x: x.sum(1, keepdims=True), lambda a: a.sum(1, keepdims=True)),
    ("sum_axis", lambda x: x.sum(axis=0), lambda a: a.sum(0)),
    ("mean", lambda x: x.mean(axis=1, keepdims=True), lambda a: a.mean(1, keepdims=True)),
    ("amax", lambda x: x.amax(axis=0), lambda a: a.max(0)),
    ("max", lambda x: x.max(axis=1, keepdims=True).values, lambda a: a.max(1, keepdims=True)),
    ("argmax", lambda x: x.argmax(axis=1), lambda a: a.argmax(1)),
    ("var", lambda x: x.var(axis=1, keepdims=True), lambda a: a.var(1, ddof=1, keepdims=True)),
    ("softmax", lambda x: x.softmax(axis=0),
     lambda a: np.exp(a) / np.exp(a).sum(0, keepdims=True)),
    ("cumsum", lambda x: x.cumsum(axis=1), lambda a: a.cumsum(1)),
    ("sort", lambda x: x.sort(axis=0).values, lambda a: np.sort(a, 0)),
    ("torch.sum", lambda x: torch.sum(x, 1, keepdims=True), lambda a: a.sum(1, keepdims=True)),
    ("torch.mean", lambda x: torch.mean(x, axis=0), lambda a: a.mean(0)),
    ("torch.cumsum", lambda x: torch.cumsum(x, axis=0), lambda a: a.cumsum(0)),
]


@pytest.mark.parametrize("name,method,reference", NUMPY_KEYWORDS, ids=[n for n, _, _ in NUMPY_KEYWORDS])
def test_numpy_keyword_names_are_accepted(name, method, reference):
    a = rng.standard_normal((3, 4))
    np.testing.assert_allclose(method(torch.tensor(a)).array, reference(a), rtol=1e-12)


def test_one_element_updated_in_place_through_indexing_writes_back():
    # counts[i, j] += 1 reads one element, adds in place, and assigns it back (PyTorch's
    # bigram-count idiom): the element must stay a writable 0-d array.
    counts = torch.zeros((3, 3), dtype=torch.int32)
    for i, j in [(0, 1), (0, 1), (2, 0)]:
        counts[i, j] += 1
    assert counts.tolist() == [[0, 2, 0], [0, 0, 0], [1, 0, 0]]
