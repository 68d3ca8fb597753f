"""Every layer takes PyTorch's full signature (the names, order and defaults of PyTorch 2.13's
documentation), positionally and by keyword, ``device=``/``dtype=`` included; values PyTorch
accepts but minigrad cannot compute are refused with a clear error."""
import inspect
import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn

# PyTorch's documented constructor signatures (torch.nn reference, 2.13).
SIGNATURES = {
    nn.Linear: "in_features, out_features, bias=True, device=None, dtype=None",
    nn.Conv2d: "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, "
               "groups=1, bias=True, padding_mode='zeros', device=None, dtype=None",
    nn.BatchNorm1d: "num_features, eps=1e-05, momentum=0.1, affine=True, "
                    "track_running_stats=True, device=None, dtype=None, *, bias=True",
    nn.BatchNorm2d: "num_features, eps=1e-05, momentum=0.1, affine=True, "
                    "track_running_stats=True, device=None, dtype=None, *, bias=True",
    nn.Dropout: "p=0.5, inplace=False",
    nn.MaxPool2d: "kernel_size, stride=None, padding=0, dilation=1, return_indices=False, "
                  "ceil_mode=False",
    nn.AvgPool2d: "kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, "
                  "divisor_override=None",
    nn.ReLU: "inplace=False",
    nn.LeakyReLU: "negative_slope=0.01, inplace=False",
    nn.ELU: "alpha=1.0, inplace=False",
    nn.GELU: "approximate='none'",
    nn.Sigmoid: "*args, **kwargs",
    nn.Tanh: "*args, **kwargs",
    nn.Softplus: "beta=1.0, threshold=20.0",
    nn.Softmax: "dim=None",
    nn.LogSoftmax: "dim=None",
    nn.CrossEntropyLoss: "weight=None, size_average=None, ignore_index=-100, reduce=None, "
                         "reduction='mean', label_smoothing=0.0",
    nn.NLLLoss: "weight=None, size_average=None, ignore_index=-100, reduce=None, "
                "reduction='mean'",
    nn.MSELoss: "size_average=None, reduce=None, reduction='mean'",
    nn.L1Loss: "size_average=None, reduce=None, reduction='mean'",
    nn.SmoothL1Loss: "size_average=None, reduce=None, reduction='mean', beta=1.0",
    nn.BCELoss: "weight=None, size_average=None, reduce=None, reduction='mean'",
    nn.BCEWithLogitsLoss: "weight=None, size_average=None, reduce=None, reduction='mean', "
                          "pos_weight=None",
    nn.Flatten: "start_dim=1, end_dim=-1",
    nn.Unflatten: "dim, unflattened_size",
    nn.Identity: "*args, **kwargs",
}


def _signature(cls) -> str:
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]  # no self
    return str(inspect.Signature([p.replace(annotation=inspect.Parameter.empty)
                                  for p in parameters]))[1:-1]


@pytest.mark.parametrize("cls", list(SIGNATURES), ids=lambda c: c.__name__)
def test_constructor_signature_is_pytorchs(cls):
    assert _signature(cls) == SIGNATURES[cls]


# Each layer built with every argument of its signature given positionally.
POSITIONAL = [
    (nn.Linear, (3, 2, False, "cpu", mg.float64)),
    (nn.Conv2d, (2, 4, 3, 1, 1, 1, 2, True, "zeros", "cpu", mg.float64)),
    (nn.BatchNorm1d, (3, 1e-3, 0.2, True, True, "cpu", mg.float64)),
    (nn.BatchNorm2d, (3, 1e-3, None, False, False, None, None)),
    (nn.Dropout, (0.3, False)),
    (nn.MaxPool2d, (2, 2, 0, 1, False, False)),
    (nn.AvgPool2d, (2, 2, 0, False, True, None)),
    (nn.ReLU, (False,)),
    (nn.LeakyReLU, (0.2, False)),
    (nn.ELU, (0.5, False)),
    (nn.GELU, ("tanh",)),
    (nn.Softplus, (2.0, 10.0)),
    (nn.Softmax, (1,)),
    (nn.LogSoftmax, (1,)),
    (nn.CrossEntropyLoss, (None, None, -100, None, "sum", 0.1)),
    (nn.NLLLoss, (None, None, -100, None, "mean")),
    (nn.MSELoss, (None, None, "sum")),
    (nn.L1Loss, (None, None, "none")),
    (nn.SmoothL1Loss, (None, None, "mean", 0.5)),
    (nn.BCELoss, (None, None, None, "mean")),
    (nn.BCEWithLogitsLoss, (None, None, None, "mean", None)),
    (nn.Flatten, (1, -1)),
    (nn.Unflatten, (1, (2, 3))),
]


@pytest.mark.parametrize("cls, args", POSITIONAL, ids=[c.__name__ for c, _ in POSITIONAL])
def test_every_layer_is_built_positionally_with_the_full_signature(cls, args):
    layer = cls(*args)
    names = list(inspect.signature(cls.__init__).parameters)[1:len(args) + 1]
    for name, value in zip(names, args):  # each argument landed where PyTorch puts it
        if name in vars(layer) and name not in ("bias", "weight", "kernel_size"):
            assert vars(layer)[name] == value, name  # (kernel_size is kept as a pair)


def test_dtype_makes_the_parameters_and_buffers_of_that_dtype():
    assert nn.Linear(3, 2, True, None, mg.float64).weight.dtype == np.float64
    assert nn.Linear(3, 2).weight.dtype == np.float32
    conv = nn.Conv2d(1, 2, 3, dtype=mg.float64, device="cpu")
    assert conv.weight.dtype == np.float64 and conv.bias.dtype == np.float64
    norm = nn.BatchNorm1d(4, dtype=mg.float64)
    assert {t.dtype for t in (norm.weight, norm.bias, norm.running_mean, norm.running_var)} == \
        {np.dtype(np.float64)} and norm.num_batches_tracked.dtype == np.int64
    out = nn.Linear(3, 2, dtype=mg.float64)(mg.ones(4, 3, dtype=mg.float64))
    assert out.dtype == np.float64
    assert nn.BatchNorm2d(3, bias=False).bias is None


def test_other_devices_and_integer_dtypes_are_refused():
    with pytest.raises(RuntimeError, match="device 'cuda' is not supported by minigrad"):
        nn.Linear(3, 2, device="cuda")
    with pytest.raises(RuntimeError, match="device 'cuda:0' is not supported"):
        nn.Conv2d(1, 1, 3, device=mg.device("cuda:0"))
    with pytest.raises(TypeError, match="must have a floating dtype; got dtype=int64"):
        nn.BatchNorm1d(3, dtype=mg.int64)


def test_a_subclass_passes_pytorchs_positional_arguments_to_super():
    class Masked(nn.Linear):
        def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
            super().__init__(in_features, out_features, bias, device, dtype)

    layer = Masked(4, 3, False, "cpu", mg.float64)
    assert layer.weight.shape == (3, 4) and layer.bias is None and layer.weight.dtype == np.float64


@pytest.mark.parametrize("build, message", [
    (lambda: nn.Conv2d(1, 1, 3, padding_mode="reflect"), "padding_mode='reflect' is not supported"),
    (lambda: nn.Conv2d(1, 1, 3, padding_mode="mirror"), "padding_mode must be one of"),
    (lambda: nn.MaxPool2d(2, dilation=2), "dilation other than 1"),
    (lambda: nn.MaxPool2d(2, return_indices=True), "return_indices=True"),
    (lambda: nn.MaxPool2d(2, ceil_mode=True)(mg.ones(1, 1, 5, 5)), "ceil_mode=True is not supported"),
    (lambda: nn.AvgPool2d(2, divisor_override=0)(mg.ones(1, 1, 4, 4)), "must be non-zero"),
])
def test_unsupported_values_are_refused_with_a_clear_error(build, message):
    with pytest.raises((NotImplementedError, ValueError, RuntimeError), match=message):
        build()


def test_ceil_mode_is_accepted_where_the_windows_tile_the_input():
    x = mg.tensor(np.arange(16.0, dtype=np.float32).reshape(1, 1, 4, 4))
    assert nn.MaxPool2d(2, ceil_mode=True)(x).tolist() == [[[[5.0, 7.0], [13.0, 15.0]]]]


def test_avg_pool_divisors():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))[:, :, ::2, ::2]
    real = np.lib.stride_tricks.sliding_window_view(
        np.pad(np.ones((4, 4)), 1), (3, 3))[::2, ::2].sum((-1, -2))
    sums = windows.sum((-1, -2))
    tensor = mg.tensor(x)
    np.testing.assert_allclose(nn.AvgPool2d(3, 2, 1)(tensor).array, sums / 9)
    np.testing.assert_allclose(nn.AvgPool2d(3, 2, 1, False, False)(tensor).array, sums / real)
    np.testing.assert_allclose(nn.AvgPool2d(3, 2, 1, False, True, 4)(tensor).array, sums / 4)


@pytest.mark.parametrize("size_average, reduce, reduction", [
    (None, False, "none"), (False, None, "sum"), (True, None, "mean"), (False, True, "sum"),
    (None, True, "mean"), (True, False, "none"),
])
def test_the_deprecated_size_average_and_reduce_decide_the_reduction(size_average, reduce,
                                                                      reduction):
    with pytest.warns(UserWarning, match=f"reduction='{reduction}'"):
        loss = nn.MSELoss(size_average, reduce, "mean")
    assert loss.reduction == reduction
    x, y = np.array([1.0, 2.0, 4.0]), np.array([0.0, 0.0, 0.0])
    expected = {"none": x ** 2, "sum": (x ** 2).sum(), "mean": (x ** 2).mean()}[reduction]
    np.testing.assert_allclose(loss(mg.tensor(x), mg.tensor(y)).array, expected)


def test_softmax_without_dim_picks_pytorchs_implicit_dimension():
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = nn.Softmax()(mg.tensor(x))
    np.testing.assert_allclose(out.array, np.exp(x) / np.exp(x).sum(1, keepdims=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.Softmax(dim=0)(mg.tensor(x))  # an explicit dim: no warning
    with pytest.warns(UserWarning):
        out = nn.LogSoftmax()(mg.tensor(x[0]))
    np.testing.assert_allclose(out.array, x[0] - np.log(np.exp(x[0]).sum()))


# nn.functional: PyTorch's documented parameters after the leading tensors (input, target),
# in order, with their defaults, so positional calls land where PyTorch puts them.
FUNCTIONAL = {
    "cross_entropy": (2, "weight=None, size_average=None, ignore_index=-100, reduce=None, "
                         "reduction='mean', label_smoothing=0.0"),
    "nll_loss": (2, "weight=None, size_average=None, ignore_index=-100, reduce=None, "
                    "reduction='mean'"),
    "mse_loss": (2, "size_average=None, reduce=None, reduction='mean', weight=None"),
    "l1_loss": (2, "size_average=None, reduce=None, reduction='mean', weight=None"),
    "smooth_l1_loss": (2, "size_average=None, reduce=None, reduction='mean', beta=1.0"),
    "binary_cross_entropy": (2, "weight=None, size_average=None, reduce=None, reduction='mean'"),
    "binary_cross_entropy_with_logits": (2, "weight=None, size_average=None, reduce=None, "
                                            "reduction='mean', pos_weight=None"),
    "max_pool2d": (1, "kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, "
                      "return_indices=False"),
    "avg_pool2d": (1, "kernel_size, stride=None, padding=0, ceil_mode=False, "
                      "count_include_pad=True, divisor_override=None"),
    "relu": (1, "inplace=False"),
    "leaky_relu": (1, "negative_slope=0.01, inplace=False"),
    "elu": (1, "alpha=1.0, inplace=False"),
    "dropout": (1, "p=0.5, training=True, inplace=False"),
}


@pytest.mark.parametrize("name", list(FUNCTIONAL))
def test_functional_signature_is_pytorchs(name):
    skip, expected = FUNCTIONAL[name]
    parameters = list(inspect.signature(getattr(nn.functional, name)).parameters.values())[skip:]
    got = str(inspect.Signature([p.replace(annotation=inspect.Parameter.empty)
                                 for p in parameters]))[1:-1]
    assert got == expected


def test_functional_losses_take_the_deprecated_flags_and_a_weight():
    x, y = mg.tensor([1.0, 2.0]), mg.tensor([0.0, 0.0])
    with pytest.warns(UserWarning, match="reduction='sum'"):
        assert nn.functional.mse_loss(x, y, False).item() == 5.0  # size_average=False
    with pytest.warns(UserWarning, match="reduction='none'"):
        assert nn.functional.l1_loss(x, y, None, False).tolist() == [1.0, 2.0]
    weighted = nn.functional.mse_loss(x, y, weight=mg.tensor([2.0, 0.5]), reduction="sum")
    assert weighted.item() == 2.0 * 1.0 + 0.5 * 4.0


@pytest.mark.parametrize("layer, text", [
    (nn.Conv2d(1, 6, 5), "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"),
    (nn.Conv2d(2, 4, 3, 2, 1, 2, 2, False), "Conv2d(2, 4, kernel_size=(3, 3), stride=(2, 2), "
                                            "padding=(1, 1), dilation=(2, 2), groups=2, bias=False)"),
    (nn.Conv2d(1, 1, 3, padding="same"), "Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), "
                                         "padding=same)"),
    (nn.MaxPool2d(2), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
    (nn.BatchNorm2d(3), "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, "
                        "track_running_stats=True)"),
])
def test_layer_reprs_are_pytorchs(layer, text):
    assert repr(layer) == text


def test_sequential_of_an_ordered_dict_names_its_children():
    from collections import OrderedDict
    model = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU())]))
    assert model.fc is model[0] and list(model.state_dict()) == ["fc.weight", "fc.bias"]
    assert repr(model[:1]) == "Sequential(\n  (fc): Linear(in_features=2, out_features=3, bias=True)\n)"
    model.append(nn.Linear(3, 1))
    assert list(model.state_dict())[-1] == "2.bias"
    with pytest.raises(AttributeError, match="no attribute 'head'"):
        model.head
    assert len(nn.ModuleList(None)) == 0 and len(nn.Sequential(nn.ReLU())) == 1


def test_module_dict_entries_are_attributes_too_as_in_pytorch():
    blocks = nn.ModuleDict(dict(wte=nn.Linear(2, 2), head=nn.Linear(2, 1)))
    assert blocks.wte is blocks["wte"] and blocks.head is blocks["head"]
    with pytest.raises(AttributeError, match="'ModuleDict' object has no attribute 'lm'"):
        blocks.lm
