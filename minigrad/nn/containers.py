"""Containers: modules that hold modules (by position or by key), the parameter containers,
and the two trivial shape layers."""
from __future__ import annotations

from ..tensor import Tensor
from .module import Module
from .parameter import Parameter


class Sequential(Module):
    """Applies its modules in order: ``Sequential(a, b)(x) == b(a(x))``."""

    def __init__(self, *modules: Module):
        super().__init__()
        self.layers = list(modules)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def named_children(self):
        # Children are named 0, 1, 2 ... as in PyTorch, so state_dict keys are "0.weight".
        return ((str(i), m) for i, m in enumerate(self.layers))

    def _members(self):
        yield from self.named_children()
        for name, value in vars(self).items():
            if name != "layers":
                yield name, value

    def __getitem__(self, index):
        return Sequential(*self.layers[index]) if isinstance(index, slice) else self.layers[index]

    def __len__(self):
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def append(self, module: Module) -> Sequential:
        self.layers.append(module)
        return self


class ModuleList(Sequential):
    """A list of modules whose parameters are found; it has no forward of its own."""

    def __init__(self, modules=()):
        super().__init__(*modules)

    def forward(self, *args):
        raise NotImplementedError("ModuleList is a container; call its modules yourself")

    def __getitem__(self, index):
        return ModuleList(self.layers[index]) if isinstance(index, slice) else self.layers[index]


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
    """Returns its input unchanged (a placeholder layer)."""

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
