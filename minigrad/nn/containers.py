"""Containers: modules that hold modules (by position or by key), the parameter containers,
and the two trivial shape layers."""
from __future__ import annotations

from ..tensor import Tensor
from .module import Module
from .parameter import Parameter


class Sequential(Module):
    """Applies its modules in order: ``Sequential(a, b)(x) == b(a(x))``. Children are named
    0, 1, 2 ... (so state_dict keys read "0.weight"), or by key when built from an
    OrderedDict, as in PyTorch; a named child is also an attribute (``seq.fc``)."""

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], dict):  # Sequential(OrderedDict(...))
            names, modules = list(args[0].keys()), list(args[0].values())
        else:
            names, modules = [str(i) for i in range(len(args))], list(args)
        for name, module in zip(names, modules):
            if not isinstance(module, Module):
                raise TypeError(f"{type(self).__name__}: {name} is a {type(module).__name__}, "
                                "not a Module")
        self.layers, self._layer_names = modules, names

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def named_children(self):
        return zip(self._layer_names, self.layers)

    def _members(self):
        yield from self.named_children()
        for name, value in vars(self).items():
            if name not in ("layers", "_layer_names"):
                yield name, value

    def __getattr__(self, name):
        # Only reached when normal lookup fails: a child named by an OrderedDict key.
        names = self.__dict__.get("_layer_names")
        if names is not None and name in names:
            return self.__dict__["layers"][names.index(name)]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(dict(zip(self._layer_names[index], self.layers[index])))
        return self.layers[index]

    def __len__(self):
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def append(self, module: Module) -> Sequential:
        return self.add_module(str(len(self.layers)), module)

    def extend(self, modules) -> Sequential:
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Insert at ``index``; the children are renumbered 0, 1, 2 ..., as in PyTorch."""
        self.layers.insert(index, module)
        self._layer_names = [str(i) for i in range(len(self.layers))]
        return self

    def add_module(self, name: str, module) -> Sequential:
        if name in self._layer_names:
            self.layers[self._layer_names.index(name)] = module
        else:
            self.layers.append(module)
            self._layer_names.append(name)
        return self


class ModuleList(Sequential):
    """A list of modules whose parameters are found; it has no forward of its own."""

    def __init__(self, modules=None):
        super().__init__(*(modules if modules is not None else ()))

    def forward(self, *args):
        raise NotImplementedError("ModuleList is a container; call its modules yourself")

    def __getitem__(self, index):
        return ModuleList(self.layers[index]) if isinstance(index, slice) else self.layers[index]

    def __setitem__(self, index, module):
        self.layers[index] = module


class _Keyed(Module):
    """The shared part of the keyed containers: an ordered dict of members whose keys become
    the children's (or parameters') names, so ``state_dict`` keys read ``"<key>.weight"``."""

    def __init__(self, members=None):
        super().__init__()
        self._members_by_key: dict = {}
        if members is not None:
            self.update(members)

    def _check(self, key, value):
        raise NotImplementedError  # pragma: no cover

    def _members(self):
        yield from self._members_by_key.items()
        for name, value in vars(self).items():
            if name != "_members_by_key":
                yield name, value

    def __getitem__(self, key):
        return self._members_by_key[key]

    def __getattr__(self, name):
        # Only reached when normal lookup fails: PyTorch registers every entry as an
        # attribute too (``transformer.wte`` for ModuleDict(dict(wte=...))).
        members = self.__dict__.get("_members_by_key")
        if members is not None and name in members:
            return members[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setitem__(self, key, value):
        self._members_by_key[key] = self._check(key, value)

    def __delitem__(self, key):
        del self._members_by_key[key]

    def __len__(self):
        return len(self._members_by_key)

    def __iter__(self):
        return iter(self._members_by_key)  # over the keys, as a dict (and PyTorch) does

    def __contains__(self, key):
        return key in self._members_by_key

    def keys(self):
        return self._members_by_key.keys()

    def items(self):
        return self._members_by_key.items()

    def values(self):
        return self._members_by_key.values()

    def pop(self, key):
        return self._members_by_key.pop(key)

    def clear(self):
        self._members_by_key.clear()

    def update(self, members):
        """Add (key, value) pairs from a mapping or from an iterable of pairs, in order."""
        pairs = members.items() if hasattr(members, "items") else members
        for index, pair in enumerate(pairs):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError(f"{type(self).__name__}.update: element #{index} should be a "
                                f"(key, value) pair; got {type(pair).__name__}")
            self[pair[0]] = pair[1]


class ModuleDict(_Keyed):
    """Modules by string key, in insertion order, found by ``parameters()`` and ``state_dict``
    as ``"<key>.<name>"`` (PyTorch's ``nn.ModuleDict(modules=None)``). No forward of its own."""

    def __init__(self, modules=None):
        super().__init__(modules)

    def _check(self, key, value):
        if not isinstance(key, str):
            raise TypeError(f"ModuleDict keys must be strings; got {type(key).__name__} {key!r}")
        if not isinstance(value, Module):
            raise TypeError(f"ModuleDict[{key!r}] must be a Module; got {type(value).__name__}")
        return value

    def forward(self, *args):
        raise NotImplementedError("ModuleDict is a container; call its modules yourself")


class ParameterDict(_Keyed):
    """Parameters by string key (PyTorch's ``nn.ParameterDict(parameters=None)``); a plain
    tensor stored in it becomes a Parameter, as in PyTorch."""

    def __init__(self, parameters=None):
        super().__init__(parameters)

    def _check(self, key, value):
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict keys must be strings; got {type(key).__name__} "
                            f"{key!r}")
        return _as_parameter(value)

    def extra_repr(self):
        return "\n".join(f"({key}): Parameter containing: [{p.dtype} of size {tuple(p.shape)}]"
                          for key, p in self.items())


class ParameterList(Module):
    """A list of parameters that ``parameters()`` and ``state_dict`` find as ``"0"``, ``"1"``,
    ... (PyTorch's ``nn.ParameterList(values=None)``); plain tensors become Parameters."""

    def __init__(self, values=None):
        super().__init__()
        self._parameters_list: list = []
        self.extend(values if values is not None else ())

    def _members(self):
        yield from ((str(i), p) for i, p in enumerate(self._parameters_list))
        for name, value in vars(self).items():
            if name != "_parameters_list":
                yield name, value

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ParameterList(self._parameters_list[index])
        return self._parameters_list[index]

    def __setitem__(self, index, value):
        self._parameters_list[index] = _as_parameter(value)

    def __len__(self):
        return len(self._parameters_list)

    def __iter__(self):
        return iter(self._parameters_list)

    def append(self, value) -> ParameterList:
        self._parameters_list.append(_as_parameter(value))
        return self

    def extend(self, values) -> ParameterList:
        for value in values:
            self.append(value)
        return self

    def extra_repr(self):
        return "\n".join(f"({i}): Parameter containing: [{p.dtype} of size {tuple(p.shape)}]"
                          for i, p in enumerate(self))


def _as_parameter(value):
    """A Parameter as is; a plain Tensor becomes a trainable Parameter sharing its array, as
    PyTorch's containers wrap it."""
    if isinstance(value, Parameter):
        return value
    if isinstance(value, Tensor):
        return Parameter(value.array)
    raise TypeError(f"expected a Parameter or a Tensor; got {type(value).__name__}")


class Identity(Module):
    """Returns its input unchanged (a placeholder layer); any arguments are ignored, as in
    PyTorch."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


class Flatten(Module):
    """Flattens dimensions ``start_dim..end_dim`` into one: (N, C, H, W) -> (N, C*H*W)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Splits dimension ``dim`` into ``unflattened_size``: (N, 784) -> (N, 1, 28, 28)."""

    def __init__(self, dim: int, unflattened_size):
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x):
        d = self.dim % x.ndim
        return x.reshape(x.shape[:d] + self.unflattened_size + x.shape[d + 1:])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
