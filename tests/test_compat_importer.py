"""The import hook behind `minigrad run`: which modules it maps, what it refuses, and that it
leaves no trace once the script is done."""
import sys
import types

import pytest

import minigrad
from minigrad.compat.importer import MODULES, TorchModule, not_supported, torch_as_minigrad


def torch_loaded():
    return any(name.split(".")[0].startswith("torch") for name in sys.modules)


@pytest.mark.skipif(torch_loaded(), reason="real torch already imported in this process")
def test_torch_modules_are_minigrads_inside_the_block_and_gone_after():
    with torch_as_minigrad():
        import torch
        import torch.nn.functional as F
        from torch.utils.data import DataLoader
        from torchvision import transforms

        assert isinstance(torch, TorchModule) and torch.tensor is minigrad.tensor
        assert F.nll_loss is minigrad.nn.functional.nll_loss
        assert DataLoader is minigrad.data.DataLoader
        assert transforms.ToTensor is minigrad.data.vision_transforms.ToTensor
        assert torch.cuda.is_available() is False and torch.backends.mps.is_available() is False
        assert torch.nn.LSTM is minigrad.nn.LSTM  # the sequence layers stand in too
        with pytest.raises(AttributeError, match="torch.nn.Transformer is not supported by minigrad"):
            torch.nn.Transformer
        with pytest.raises(ModuleNotFoundError, match="torchaudio is not supported by minigrad"):
            import torchaudio  # noqa: F401
    assert not torch_loaded()


@pytest.mark.skipif(torch_loaded(), reason="real torch already imported in this process")
@pytest.mark.parametrize("attribute", ["igamma_", "addmv_", "is_coalesced"])
def test_a_missing_tensor_method_says_not_supported_like_a_missing_module_name(attribute):
    with torch_as_minigrad():
        import torch
        with pytest.raises(AttributeError) as module_level:
            getattr(torch, attribute)
        x = torch.zeros(3)
        with pytest.raises(AttributeError) as method:
            getattr(x, attribute)
        with pytest.raises(AttributeError) as parameter_method:  # a subclass of Tensor
            getattr(torch.nn.Parameter(torch.zeros(2)), attribute)
        assert str(method.value) == str(parameter_method.value) == str(module_level.value)\
            .replace("torch.", "torch.Tensor.", 1)
        assert str(method.value).startswith(f"torch.Tensor.{attribute} is not supported by "
                                            "minigrad")
        assert not hasattr(x, attribute)  # still an AttributeError: hasattr keeps working
        with pytest.raises(AttributeError, match="^'Tensor' object has no attribute '_probe'$"):
            x._probe
    # Outside the block a tensor is a plain minigrad tensor again.
    with pytest.raises(AttributeError, match="'Tensor' object has no attribute 'igamma_'"):
        minigrad.zeros(3).igamma_


@pytest.mark.skipif(torch_loaded(), reason="real torch already imported in this process")
def test_a_missing_module_or_optimizer_method_says_not_supported_and_keeps_the_plain_fact():
    with torch_as_minigrad():
        import torch
        layer = torch.nn.Linear(2, 2)
        optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
        with pytest.raises(AttributeError) as module_method:
            layer.register_full_backward_pre_hook
        with pytest.raises(AttributeError) as optimizer_method:
            optimizer.register_step_pre_hook
        assert str(module_method.value) == (
            "torch.nn.Module.register_full_backward_pre_hook is not supported by minigrad "
            "('Linear' object has no attribute 'register_full_backward_pre_hook')")
        assert str(optimizer_method.value) == (
            "torch.optim.Optimizer.register_step_pre_hook is not supported by minigrad "
            "('SGD' object has no attribute 'register_step_pre_hook')")
        assert getattr(layer, "missing", None) is None and layer.weight.shape == (2, 2)
    assert "__getattr__" not in vars(minigrad.nn.Module)  # gone with the block
    with pytest.raises(AttributeError, match="^'Linear' object has no attribute 'x'$"):
        minigrad.nn.Linear(2, 2).x


def test_refuses_to_stand_in_when_torch_is_already_imported(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    with pytest.raises(RuntimeError, match="torch is already imported in this process"):
        with torch_as_minigrad():
            pass


def test_every_mapped_module_resolves():
    for name, target in MODULES.items():
        module = TorchModule(name, minigrad)
        assert module.__name__ == name and target


def test_out_of_scope_names_say_why():
    assert not_supported("torch.jit") == ("torch.jit is not supported by minigrad "
                                          "(out of its scope: TorchScript)")
    assert "complex tensors" in not_supported("torch.complex64")
    assert not_supported("torch.nn.Transformer") == "torch.nn.Transformer is not supported by minigrad"
