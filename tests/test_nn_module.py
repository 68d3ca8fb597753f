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


# ------------------------------------------------------------------ keyed and parameter containers
class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleDict({"encoder": nn.Linear(3, 4), "decoder": nn.Linear(4, 3)})
        self.scales = nn.ParameterList([nn.Parameter(np.ones(2, np.float32)), mg.zeros(3)])
        self.extras = nn.ParameterDict({"bias": mg.zeros(4)})

    def forward(self, x):
        return self.blocks["decoder"](self.blocks["encoder"](x) + self.extras["bias"])


def test_module_dict_parameter_list_and_dict_are_registered():
    model = Heads()
    # PyTorch's order: the children in the order they were assigned, keys in insertion order.
    assert [n for n, _ in model.named_parameters()] == list(model.state_dict()) == [
        "blocks.encoder.weight", "blocks.encoder.bias", "blocks.decoder.weight",
        "blocks.decoder.bias", "scales.0", "scales.1", "extras.bias"]
    # Plain tensors stored in the parameter containers became trainable Parameters.
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in model.scales)
    assert isinstance(model.extras["bias"], nn.Parameter)
    model(mg.randn(2, 3)).sum().backward()
    assert model.extras["bias"].grad.shape == (4,)
    copy = Heads()
    copy.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(copy.blocks["encoder"].weight.array,
                                  model.blocks["encoder"].weight.array)


def test_module_dict_behaves_as_an_ordered_dict():
    blocks = nn.ModuleDict()
    blocks["b"] = nn.ReLU()
    blocks.update([("a", nn.Tanh()), ("c", nn.Identity())])
    assert list(blocks) == ["b", "a", "c"] and list(blocks.keys()) == ["b", "a", "c"]
    assert len(blocks) == 3 and "a" in blocks and "z" not in blocks
    assert isinstance(blocks.pop("a"), nn.Tanh) and list(blocks) == ["b", "c"]
    del blocks["b"]
    assert [type(m).__name__ for m in blocks.values()] == ["Identity"]
    assert "(c): Identity()" in repr(blocks)
    assert blocks.c is blocks["c"]  # members are attributes too, as in PyTorch
    assert nn.ParameterDict({"w": mg.ones(1)}).w.shape == (1,)
    with pytest.raises(AttributeError, match="no attribute 'z'"):
        blocks.z
    with pytest.raises(TypeError, match=r"ModuleDict\['x'\] must be a Module; got int"):
        blocks["x"] = 3
    with pytest.raises(TypeError, match="ModuleDict keys must be strings; got int 1"):
        blocks[1] = nn.ReLU()
    with pytest.raises(TypeError, match=r"element #0 should be a \(key, value\) pair; got str"):
        blocks.update(["abc"])
    with pytest.raises(NotImplementedError, match="ModuleDict is a container"):
        blocks(mg.ones(1))


def test_module_dict_members_are_attributes_as_nanogpt_reads_them():
    body = nn.ModuleDict(dict(wte=nn.Embedding(5, 2), h=nn.ModuleList([nn.Linear(2, 2)])))
    assert body.wte is body["wte"] and body.h[0] is body["h"][0]
    assert list(body.state_dict()) == ["wte.weight", "h.0.weight", "h.0.bias"]
    with pytest.raises(AttributeError, match="'ModuleDict' object has no attribute 'wpe'"):
        body.wpe  # noqa: B018
    del body["wte"]
    assert not hasattr(body, "wte")


def test_parameter_list_append_extend_index_and_errors():
    params = nn.ParameterList()
    params.append(mg.ones(2)).extend([mg.zeros(1), nn.Parameter(np.ones(3, np.float32))])
    assert len(params) == 3 and [p.shape for p in params] == [(2,), (1,), (3,)]
    assert isinstance(params[-1], nn.Parameter) and len(params[1:]) == 2
    params[0] = mg.full((4,), 2.0)
    assert params[0].shape == (4,) and isinstance(params[0], nn.Parameter)
    with pytest.raises(TypeError, match="expected a Parameter or a Tensor; got list"):
        params.append([1.0])
    with pytest.raises(TypeError, match="ParameterDict keys must be strings; got int 3"):
        nn.ParameterDict({3: mg.ones(1)})
    # PyTorch's keyword names
    assert list(nn.ParameterDict(parameters={"w": mg.ones(1)})) == ["w"]
    assert list(nn.ModuleDict(modules={"relu": nn.ReLU()})) == ["relu"]


# ------------------------------------------------------------------ buffers and requires_grad_
class WithBuffers(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 2)
        self.register_buffer("mean", mg.zeros(2))
        self.register_buffer("cache", mg.ones(2), persistent=False)


def test_a_non_persistent_buffer_is_a_buffer_but_not_saved():
    model = WithBuffers()
    assert [n for n, _ in model.named_buffers()] == ["mean", "cache"]
    assert list(model.state_dict()) == ["mean", "linear.weight", "linear.bias"]  # own first
    model.load_state_dict(WithBuffers().state_dict())  # strict: "cache" is not expected
    model.register_buffer("cache", mg.ones(2))  # re-registered persistent: saved again
    assert "cache" in model.state_dict()


@pytest.mark.parametrize("name,tensor,error,message", [
    ("a.b", mg.ones(1), KeyError, "be empty or contain"),
    ("", mg.ones(1), KeyError, "be empty or contain"),
    (3, mg.ones(1), TypeError, "buffer name should be a string; got int"),
    ("mean2", np.ones(1), TypeError, "cannot assign a ndarray object to buffer 'mean2'"),
    ("linear", mg.ones(1), KeyError, "attribute 'linear' already exists"),
])
def test_register_buffer_errors_leave_the_module_unchanged(name, tensor, error, message):
    model = WithBuffers()
    before = [n for n, _ in model.named_buffers()]
    with pytest.raises(error, match=message):
        model.register_buffer(name, tensor)
    assert [n for n, _ in model.named_buffers()] == before
    assert isinstance(model.linear, nn.Linear)


def test_requires_grad_freezes_and_unfreezes_every_parameter():
    model = Heads()
    assert model.requires_grad_(False) is model
    assert not any(p.requires_grad for p in model.parameters())
    out = model(mg.randn(2, 3))
    assert not out.requires_grad
    model.blocks["decoder"].requires_grad_()
    model(mg.randn(2, 3)).sum().backward()
    assert model.blocks["decoder"].weight.grad is not None
    assert model.blocks["encoder"].weight.grad is None


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


# ------------------------------------------------------------------ named children, added modules
def test_sequential_from_an_ordered_dict_names_its_children():
    from collections import OrderedDict
    model = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU())]))
    assert isinstance(model.fc, nn.Linear) and model[0] is model.fc
    assert list(model.state_dict()) == ["fc.weight", "fc.bias"]
    assert "(fc): Linear" in repr(model) and list(model[1:].named_children())[0][0] == "act"
    model.add_module("out", nn.Linear(3, 1))
    assert model(mg.ones(4, 2)).shape == (4, 1) and "out.bias" in model.state_dict()
    assert model.get_submodule("out") is model.out
    assert model.get_parameter("fc.weight") is model.fc.weight
    with pytest.raises(AttributeError, match="has no attribute 'missing'"):
        model.missing
    with pytest.raises(TypeError, match="0 is a int, not a Module"):
        nn.Sequential(3)


def test_module_list_grows_like_a_list():
    layers = nn.ModuleList([nn.ReLU()])
    layers.extend([nn.Tanh()]).insert(0, nn.Identity())
    layers.append(nn.Sigmoid())
    assert [type(m).__name__ for m in layers] == ["Identity", "ReLU", "Tanh", "Sigmoid"]
    assert [name for name, _ in layers.named_children()] == ["0", "1", "2", "3"]
    layers[1] = nn.ELU()
    assert isinstance(layers[1], nn.ELU) and len(nn.ModuleList()) == 0


def test_register_parameter_add_module_and_their_errors():
    model = nn.Module()
    model.register_parameter("scale", nn.Parameter(np.ones(2, np.float32)))
    model.add_module("head", nn.Linear(2, 1))
    model.register_module("tail", nn.Identity())
    assert list(model.state_dict()) == ["scale", "head.weight", "head.bias"]
    assert model.get_submodule("head") is model.head and model.get_submodule("") is model
    with pytest.raises(TypeError, match="cannot assign a Tensor object to parameter 'w'"):
        model.register_parameter("w", mg.ones(2))
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        model.add_module("x", 3)
    with pytest.raises(KeyError, match="without '.'"):
        model.add_module("a.b", nn.ReLU())
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        model.get_submodule("head.nope")
    with pytest.raises(AttributeError, match="has no parameter 'head.gamma'"):
        model.get_parameter("head.gamma")
