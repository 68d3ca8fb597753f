"""``Module``: the base of every layer and model.

A module finds its own parameters, buffers and submodules by walking its attributes
(including lists and tuples of them), so nothing is ever listed by hand. ``train()`` and
``eval()`` set a flag on each module of the tree, never a global.
"""
from __future__ import annotations

from collections import OrderedDict, namedtuple

import numpy as np

from ..device import check_device, device as Device
from ..hooks import RemovableHandle
from ..tensor import Tensor
from .parameter import Parameter

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Module:
    def __init__(self):
        self.training = True
        self._buffer_names: list[str] = []
        self._forward_hooks: list = []
        self._forward_pre_hooks: list = []

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args, **kwargs):
        for hook in self._forward_pre_hooks:
            replaced = hook(self, args)
            if replaced is not None:
                args = replaced if isinstance(replaced, tuple) else (replaced,)
        for index, value in enumerate(args):
            # Checked before forward: a float64 array would otherwise be promoted silently
            # and run the layer in float64, where PyTorch refuses it.
            if isinstance(value, np.ndarray):
                raise TypeError(f"{type(self).__name__} expects a Tensor, but argument {index} "
                                f"is a numpy.ndarray of shape {value.shape} and dtype "
                                f"{value.dtype}; convert it with minigrad.tensor(array)")
        try:
            output = self.forward(*args, **kwargs)
        except (AttributeError, TypeError):
            # Checked on the error path only (a module may take lists on purpose).
            for index, value in enumerate(args):
                if isinstance(value, (list, tuple)) and value and \
                        not any(hasattr(v, "shape") for v in value):
                    raise TypeError(f"{type(self).__name__} expects a Tensor, but argument "
                                    f"{index} is a {type(value).__name__} of numbers; convert "
                                    "it with minigrad.tensor(values)") from None
            raise
        for hook in self._forward_hooks:
            replaced = hook(self, args, output)
            if replaced is not None:
                output = replaced
        return output

    def register_forward_hook(self, hook):
        """``hook(module, inputs, output)`` after each forward; a non-None result replaces the
        output. Returns a handle whose ``remove()`` unregisters it."""
        self._forward_hooks.append(hook)
        return RemovableHandle(self._forward_hooks, hook)

    def register_forward_pre_hook(self, hook):
        """``hook(module, inputs)`` before each forward; a non-None result replaces the inputs."""
        self._forward_pre_hooks.append(hook)
        return RemovableHandle(self._forward_pre_hooks, hook)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True):
        """State that is never trained (e.g. running statistics), saved in ``state_dict``
        unless ``persistent=False`` (then it still moves with ``to()`` and shows in
        ``buffers()``, as in PyTorch)."""
        if not isinstance(name, str):
            raise TypeError(f"buffer name should be a string; got {type(name).__name__}")
        if name == "" or "." in name:
            raise KeyError(f"buffer name can't be empty or contain \".\"; got {name!r}")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign a {type(tensor).__name__} object to buffer {name!r} "
                            "(a Tensor or None is required)")
        if hasattr(self, name) and name not in self._buffer_names:
            raise KeyError(f"attribute {name!r} already exists")
        if name not in self._buffer_names:
            self._buffer_names.append(name)
        non_persistent = self.__dict__.setdefault("_non_persistent_buffers", set())
        (non_persistent.discard if persistent else non_persistent.add)(name)
        setattr(self, name, tensor)

    def register_parameter(self, name: str, param) -> None:
        """Add ``param`` (a Parameter, or None) as attribute ``name``; found by walking, as
        every attribute is."""
        if not isinstance(name, str) or name == "" or "." in name:
            raise KeyError(f"parameter name must be a non-empty string without '.'; got "
                           f"{name!r}")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign a {type(param).__name__} object to parameter "
                            f"{name!r} (a Parameter or None is required)")
        setattr(self, name, param)

    def add_module(self, name: str, module) -> None:
        """Add ``module`` (or None) as child ``name``."""
        if not isinstance(name, str) or name == "" or "." in name:
            raise KeyError(f"module name must be a non-empty string without '.'; got {name!r}")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        setattr(self, name, module)

    def register_module(self, name: str, module) -> None:
        self.add_module(name, module)

    def get_submodule(self, target: str = "") -> Module:
        """The submodule at dotted path ``target`` ("" is this module)."""
        module = self
        for part in target.split(".") if target else ():
            children = dict(module.named_children())
            if part not in children:
                raise AttributeError(f"{type(module).__name__} has no attribute `{part}` (in "
                                     f"{target!r})")
            module = children[part]
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at dotted path ``target``, e.g. "0.weight"."""
        parameters = dict(self.named_parameters())
        if target not in parameters:
            raise AttributeError(f"{type(self).__name__} has no parameter {target!r}")
        return parameters[target]

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter (e.g. ``requires_grad_(False)`` freezes a
        pretrained part); returns the module, as PyTorch does."""
        for parameter in self.parameters():
            parameter.requires_grad_(requires_grad)
        return self

    # ------------------------------------------------------------------ the tree walk
    def _members(self):
        """(name, value) for every attribute, with list/tuple items named ``attr.i``."""
        for name, value in vars(self).items():
            if isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    yield f"{name}.{i}", item
            else:
                yield name, value

    def named_children(self):
        for name, value in self._members():
            if isinstance(value, Module):
                yield name, value

    def children(self):
        return (module for _, module in self.named_children())

    def named_modules(self, prefix: str = ""):
        """This module and every submodule, depth first, each once."""
        seen, stack = set(), [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = list(module.named_children())
            stack.extend((f"{name}.{child}" if name else child, m) for child, m in reversed(children))

    def modules(self):
        return (module for _, module in self.named_modules())

    def named_parameters(self, recurse: bool = True):
        seen = set()
        modules = self.named_modules() if recurse else [("", self)]
        for prefix, module in modules:
            for name, value in module._members():
                if isinstance(value, Parameter) and id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{prefix}.{name}" if prefix else name), value

    def parameters(self, recurse: bool = True):
        return (p for _, p in self.named_parameters(recurse))

    def named_buffers(self):
        for prefix, module in self.named_modules():
            for name in module._buffer_names:
                value = getattr(module, name)
                if value is not None:
                    yield (f"{prefix}.{name}" if prefix else name), value

    def buffers(self):
        return (b for _, b in self.named_buffers())

    # ------------------------------------------------------------------ modes
    def train(self, mode: bool = True) -> Module:
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True):
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad = Tensor._make(np.zeros_like(p.grad.array), False, None)

    def apply(self, fn) -> Module:
        """Call ``fn`` on every submodule and then on this module, in PyTorch's order: each
        child's whole subtree (children first) before the next child, this module last."""
        stack, order = [(self, False)], []
        while stack:  # an explicit stack: post-order without recursion
            module, children_done = stack.pop()
            if children_done:
                order.append(module)
                continue
            stack.append((module, True))
            stack.extend((child, False) for child in reversed(list(module.children())))
        for module in order:
            fn(module)
        return self

    # ------------------------------------------------------------------ state
    def state_dict(self) -> OrderedDict:
        """Parameters and buffers by dotted name, as detached tensors sharing their data; in
        PyTorch's key order: each module's parameters, then its buffers, then its children."""
        parameters = dict(self.named_parameters())
        buffers = dict(self.named_buffers())
        state = OrderedDict()
        for prefix, module in self.named_modules():
            keys = [name for name, value in module._members() if isinstance(value, Parameter)]
            skipped = getattr(module, "_non_persistent_buffers", ())
            keys += [name for name in module._buffer_names
                     if getattr(module, name) is not None and name not in skipped]
            for key in keys:
                full = f"{prefix}.{key}" if prefix else key
                tensor = parameters.get(full, buffers.get(full))
                if tensor is not None:  # a shared parameter is listed once, under its first name
                    state[full] = tensor.detach()
        return state

    def load_state_dict(self, state_dict, strict: bool = True) -> IncompatibleKeys:
        """Copy values into this module's parameters and buffers.

        Everything is checked before anything is written: on any missing key or unexpected
        key (with ``strict``) or any shape mismatch, it raises one error listing all of them
        and the module is unchanged.
        """
        own = self.state_dict()
        targets = dict(self.named_parameters())
        targets.update(self.named_buffers())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        mismatched = [f"{k}: checkpoint {tuple(np.shape(_array(state_dict[k])))}, model "
                      f"{own[k].shape}" for k in own
                      if k in state_dict and tuple(np.shape(_array(state_dict[k]))) != own[k].shape]
        problems = []
        if strict and missing:
            problems.append("missing keys: " + ", ".join(missing))
        if strict and unexpected:
            problems.append("unexpected keys: " + ", ".join(unexpected))
        if mismatched:
            problems.append("shape mismatches: " + "; ".join(mismatched))
        if problems:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n  "
                               + "\n  ".join(problems))
        for name, target in targets.items():
            if name in state_dict:
                target.array[...] = _array(state_dict[name])
                target._version += 1
        return IncompatibleKeys(missing, unexpected)

    def to(self, *args, dtype=None, device=None, non_blocking=False) -> Module:
        """PyTorch's ``Module.to``: ``to(device)``, ``to(dtype)``, ``to(device, dtype)``. Only
        the CPU is a device; floating parameters and buffers are converted in place."""
        for arg in args:
            if isinstance(arg, (str, Device)):
                device = arg
            else:
                dtype = arg
        check_device(device)
        if dtype is not None:
            for tensor in list(self.parameters()) + list(self.buffers()):
                if tensor.dtype.kind == "f":
                    tensor.array = tensor.array.astype(dtype)
        return self

    def cpu(self) -> Module:
        return self

    def cuda(self, device=None) -> Module:
        check_device("cuda")

    def double(self) -> Module:
        return self.to(np.float64)

    def float(self) -> Module:
        return self.to(np.float32)

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        return ""

    def __repr__(self):
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        if self.extra_repr():
            lines.append("  " + self.extra_repr())
        for name, child in children:
            child_repr = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name.split('.')[-1] if '.' in name else name}): {child_repr}")
        return "\n".join(lines) + "\n)"


def _array(value):
    return value.array if isinstance(value, Tensor) else np.asarray(value)
