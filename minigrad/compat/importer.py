"""The import hook that makes ``import torch`` mean minigrad.

A meta-path finder placed first on ``sys.meta_path`` answers for every module whose name
starts with "torch" (torch, torchvision, torchaudio, ...), so the real packages are never
found. Each supported module becomes a ``TorchModule``: a thin module object that forwards
attribute lookups to the minigrad module standing in for it and turns a missing name into
"torch.X is not supported by minigrad" instead of a bare AttributeError deep inside. A
method a tensor lacks (``x.geometric_()``) says the same, "torch.Tensor.geometric_ is not
supported by minigrad", for as long as the script runs; so does one a module or an optimizer
lacks ("torch.nn.Module.X is not supported by minigrad ('Linear' object has no attribute
'X')").
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType

from ..tensor import Tensor

# PyTorch's module -> what stands in for it ("module" or "module:attribute").
MODULES = {
    "torch": "minigrad",
    "torch.autograd": "minigrad.autograd",
    "torch.nn": "minigrad.nn",
    "torch.nn.functional": "minigrad.nn.functional",
    "torch.nn.init": "minigrad.nn.init",
    "torch.nn.utils": "minigrad.nn.utils",
    "torch.optim": "minigrad.optim",
    "torch.optim.lr_scheduler": "minigrad.optim.lr_scheduler",
    "torch.utils": "minigrad.utils",
    "torch.utils.data": "minigrad.utils.data",
    "torch.utils.tensorboard": "minigrad.utils.tensorboard",
    "torch.linalg": "minigrad.linalg",
    "torch.cuda": "minigrad.device:cuda",
    "torch.backends": "minigrad.device:backends",
    "torch.backends.mps": "minigrad.device:backends.mps",
    "torch.accelerator": "minigrad.device:accelerator",
    "torchvision": "minigrad.compat.importer:_TORCHVISION",
    "torchvision.datasets": "minigrad.data.vision",
    "torchvision.transforms": "minigrad.data.vision_transforms",
}
_TORCHVISION = ModuleType("torchvision")  # only a parent for datasets and transforms

# Names PyTorch has that are out of minigrad's scope, with the reason shown in the error.
OUT_OF_SCOPE = {"jit": "TorchScript", "sparse": "sparse tensors",
                "complex64": "complex tensors", "complex128": "complex tensors",
                "cfloat": "complex tensors", "models": "pretrained models"}


def _resolve(spec: str):
    module_name, _, attribute = spec.partition(":")
    target = importlib.import_module(module_name)
    for part in attribute.split(".") if attribute else ():
        target = getattr(target, part)
    return target


def not_supported(name: str) -> str:
    reason = OUT_OF_SCOPE.get(name.rsplit(".", 1)[-1])
    return f"{name} is not supported by minigrad" + (f" (out of its scope: {reason})"
                                                     if reason else "")


class TorchModule(ModuleType):
    """``torch`` (or one of its submodules) as seen by a script run with ``minigrad run``."""

    def __init__(self, name: str, target):
        super().__init__(name, getattr(target, "__doc__", None))
        self.__path__ = []  # a package, so that its submodules can be imported
        self._target = target

    def __getattr__(self, attribute):
        if attribute in ("__version__", "__all__"):
            return getattr(self._target, attribute)
        if attribute.startswith("__"):  # no __file__: this module is not the file it stands for
            raise AttributeError(attribute)
        full_name = f"{self.__name__}.{attribute}"
        if full_name in MODULES:
            return importlib.import_module(full_name)  # through the hook: a TorchModule too
        try:
            return getattr(self._target, attribute)
        except AttributeError:
            raise AttributeError(not_supported(full_name)) from None

    def __dir__(self):
        return sorted(set(dir(self._target)) | {name.rsplit(".", 1)[-1] for name in MODULES
                                               if name.startswith(self.__name__ + ".")})


def _missing_tensor_attribute(tensor, attribute):
    """``Tensor.__getattr__`` while a script runs: Python calls it only once the attribute was
    not found, so it costs nothing on the attributes a tensor has."""
    if attribute.startswith("_"):  # protocol probes (copy, pickle, NumPy) expect the plain error
        raise AttributeError(f"'{type(tensor).__name__}' object has no attribute '{attribute}'")
    raise AttributeError(not_supported(f"torch.Tensor.{attribute}"))


def _missing_method(torch_class: str):
    """``__getattr__`` for modules and optimizers while a script runs. Unlike a tensor's, their
    attributes are often the user's own (``self.fc3``), so the plain fact is kept beside the
    "not supported" line."""
    def missing(instance, attribute):
        plain = f"'{type(instance).__name__}' object has no attribute '{attribute}'"
        if attribute.startswith("_"):
            raise AttributeError(plain)
        raise AttributeError(f"{not_supported(f'{torch_class}.{attribute}')} ({plain})")
    return missing


def _stand_ins() -> dict:
    """The classes whose missing attributes are reported as unsupported PyTorch names."""
    from ..nn import Module
    from ..optim import Optimizer
    return {Tensor: _missing_tensor_attribute, Module: _missing_method("torch.nn.Module"),
            Optimizer: _missing_method("torch.optim.Optimizer")}


class TorchImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds every "torch*" module, as a TorchModule or as an error."""

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("torch"):
            return None
        if fullname not in MODULES:
            raise ModuleNotFoundError(not_supported(fullname), name=fullname)
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return TorchModule(spec.name, _resolve(MODULES[spec.name]))

    def exec_module(self, module):
        pass  # nothing to run: the module forwards to minigrad


class torch_as_minigrad:
    """A context manager: inside it, ``import torch`` (and the rest of MODULES) is minigrad.
    On exit the hook and every module it made are removed again."""

    def __enter__(self):
        loaded = [name for name in sys.modules if name.split(".")[0].startswith("torch")]
        if loaded:
            raise RuntimeError(f"{loaded[0]} is already imported in this process; minigrad can "
                               "only stand in for PyTorch in a process that has not loaded it")
        self.importer = TorchImporter()
        sys.meta_path.insert(0, self.importer)
        stand_ins = _stand_ins()
        self.patched = [cls for cls in stand_ins if "__getattr__" not in vars(cls)]
        for cls in self.patched:
            cls.__getattr__ = stand_ins[cls]
        return self

    def __exit__(self, *exc_info):
        sys.meta_path.remove(self.importer)
        for cls in self.patched:
            del cls.__getattr__
        for name in [n for n in sys.modules if n.split(".")[0].startswith("torch")]:
            del sys.modules[name]
        return False
