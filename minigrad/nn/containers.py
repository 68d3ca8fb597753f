"""Containers: modules that hold modules, plus the two trivial shape layers."""
from __future__ import annotations

from .module import Module


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


class ModuleDict(Module):
    """An ordered dict of modules whose parameters are found, named by their keys
    (``ModuleDict({"wte": emb})`` gives ``wte.weight``), as PyTorch's; each module is also an
    attribute (``d.wte``). It has no forward of its own."""

    def __init__(self, modules=None):
        super().__init__()
        self._keys: list[str] = []
        if modules is not None:
            self.update(modules)

    def __setitem__(self, key: str, module: Module):
        if not isinstance(key, str):
            raise TypeError(f"ModuleDict keys must be strings; got {type(key).__name__} {key!r}")
        if not isinstance(module, Module):
            raise TypeError(f"ModuleDict values must be Modules; got {type(module).__name__} "
                            f"for key {key!r}")
        if key not in self._keys:
            if hasattr(self, key) or "." in key or not key:  # would hide an attribute
                raise KeyError(f"ModuleDict key {key!r} is not allowed: an attribute of that "
                               "name exists, or it is empty or has a '.'")
            self._keys.append(key)
        setattr(self, key, module)

    def __getitem__(self, key: str) -> Module:
        if key not in self._keys:
            raise KeyError(f"ModuleDict has no key {key!r}; it has {self._keys}")
        return getattr(self, key)

    def __delitem__(self, key: str):
        self[key]  # noqa: B018  (a missing key raises the KeyError above)
        self._keys.remove(key)
        delattr(self, key)

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(list(self._keys))

    def __contains__(self, key):
        return key in self._keys

    def keys(self):
        return list(self._keys)

    def values(self):
        return [getattr(self, key) for key in self._keys]

    def items(self):
        return [(key, getattr(self, key)) for key in self._keys]

    def update(self, modules):
        """Add (or replace) modules from a mapping or an iterable of (key, module) pairs."""
        for key, module in (modules.items() if hasattr(modules, "items") else modules):
            self[key] = module

    def pop(self, key: str) -> Module:
        module = self[key]
        del self[key]
        return module

    def clear(self):
        for key in list(self._keys):
            del self[key]

    def _members(self):
        # The keyed modules first, in insertion order (PyTorch's state_dict order).
        yield from self.items()
        for name, value in vars(self).items():
            if name not in self._keys and name != "_keys":
                yield name, value

    def forward(self, *args):
        raise NotImplementedError("ModuleDict is a container; call its modules yourself")


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
