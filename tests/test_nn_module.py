"""Module system: parameter discovery, modes, state dicts, repr, hooks."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn


class TwoBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Linear(3, 4)
        self.heads = [nn.Linear(4, 2), nn.Linear(4, 1)]  # a plain list is walked too
        self.scale = nn.Parameter(np.ones(1, dtype=np.float32))
        self.norm = nn.BatchNorm1d(4)

    def forward(self, x):
        h = self.norm(self.trunk(x))
        return self.heads[0](h) * self.scale, self.heads[1](h)


def test_parameters_are_found_by_walking_attributes():
    model = TwoBranch()
    names = [n for n, _ in model.named_parameters()]
    assert names == ["scale", "trunk.weight", "trunk.bias", "heads.0.weight", "heads.0.bias",
                     "heads.1.weight", "heads.1.bias", "norm.weight", "norm.bias"]
    assert len(list(model.parameters())) == 9
    assert [n for n, _ in model.named_buffers()] == [
        "norm.running_mean", "norm.running_var", "norm.num_batches_tracked"]


def test_shared_parameter_counted_once():
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert len(list(model.parameters())) == 2


def test_train_eval_sets_flag_on_every_module():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(2)))
    model.eval()
    assert all(not m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_state_dict_round_trip():
    source, target = TwoBranch(), TwoBranch()
    source.norm(source.trunk(mg.randn(8, 3)))  # move the running statistics
    target.load_state_dict(source.state_dict())
    for (name, a), (_, b) in zip(source.state_dict().items(), target.state_dict().items()):
        np.testing.assert_array_equal(a.array, b.array, err_msg=name)
    x = mg.randn(5, 3)
    source.eval(), target.eval()
    np.testing.assert_array_equal(source(x)[0].array, target(x)[0].array)


def test_strict_load_lists_every_problem_and_changes_nothing():
    model = TwoBranch()
    before = {k: v.array.copy() for k, v in model.state_dict().items()}
    state = {k: v.array.copy() + 1 for k, v in model.state_dict().items()}
    del state["trunk.bias"]
    state["extra.weight"] = np.zeros(2)
    state["heads.0.weight"] = np.zeros((3, 3))
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    message = str(info.value)
    assert "missing keys: trunk.bias" in message and "unexpected keys: extra.weight" in message
    assert "heads.0.weight: checkpoint (3, 3), model (2, 4)" in message
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.array, before[k])


def test_non_strict_load_reports_keys_but_still_refuses_shape_mismatch():
    model = nn.Linear(2, 3)
    result = model.load_state_dict({"weight": np.ones((3, 2)), "other": np.ones(1)}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["other"]
    assert np.all(model.weight.array == 1)
    with pytest.raises(RuntimeError, match="weight: checkpoint"):
        model.load_state_dict({"weight": np.ones((2, 2))}, strict=False)


def test_repr_prints_the_tree_like_pytorch():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2))
    assert repr(model) == ("Sequential(\n  (0): Linear(in_features=784, out_features=256, "
                           "bias=True)\n  (1): ReLU()\n  (2): Dropout(p=0.2, inplace=False)\n)")


def test_sequential_state_dict_keys_and_indexing():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert isinstance(model[1], nn.ReLU) and len(model[:2]) == 2 and len(model) == 3


def test_module_list_and_zero_grad():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(list(layers.parameters())) == 6
    out = sum((layer(mg.ones(1, 2)).sum() for layer in layers), mg.zeros(()))
    out.backward()
    assert all(p.grad is not None for p in layers.parameters())
    layers.zero_grad()
    assert all(p.grad is None for p in layers.parameters())


def test_forward_hooks():
    layer = nn.Linear(2, 2)
    seen = []
    handle = layer.register_forward_hook(lambda m, inputs, out: seen.append(out.shape))
    layer.register_forward_pre_hook(lambda m, inputs: (inputs[0] * 0.0,))
    out = layer(mg.ones(3, 2))
    assert seen == [(3, 2)]
    np.testing.assert_allclose(out.array, np.broadcast_to(layer.bias.array, (3, 2)))
    handle.remove()
    layer(mg.ones(1, 2))
    assert seen == [(3, 2)]


def test_identity_flatten_and_double():
    x = mg.randn(2, 3, 4)
    assert nn.Identity()(x) is x
    assert nn.Flatten()(x).shape == (2, 12)
    model = nn.Linear(2, 2).double()
    assert model.weight.dtype == np.float64


def test_weight_tying_one_parameter_in_two_modules():
    """A language model's embedding and output layer share one (vocab, dim) matrix."""
    embedding, head = nn.Embedding(6, 3, dtype=mg.float64), nn.Linear(3, 6, bias=False)
    head.weight = embedding.weight
    model = nn.ModuleList([embedding, head])
    assert [name for name, _ in model.named_parameters()] == ["0.weight"]
    assert list(model.state_dict()) == ["0.weight"]
    tokens = mg.tensor([[1, 4, 4]])
    upstream = np.random.default_rng(0).standard_normal((1, 3, 6))
    features = embedding(tokens)
    head(features).backward(mg.tensor(upstream))
    # d/dW of (W[tokens] W^T): the head's x^T g plus the lookup's scatter of g W, added up
    weight = embedding.weight.array
    looked_up = weight[tokens.array]
    expected = np.einsum("bti,btj->ij", upstream, looked_up)
    np.add.at(expected, tokens.array.ravel(), (upstream @ weight).reshape(-1, 3))
    np.testing.assert_allclose(embedding.weight.grad.array, expected, rtol=1e-12)
