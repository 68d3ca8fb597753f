"""Containers: modules that hold modules, plus the two trivial shape layers."""
from __future__ import annotations

from .module import Module


class Sequential(Module):
    """Applies its modules in order: ``Sequential(a, b)(x) == b(a(x))``. Given one
    ``OrderedDict`` of named modules (PyTorch's other form), the children carry those names
    (``model.fc``, state_dict keys ``fc.weight``) instead of 0, 1, 2 ..."""

    def __init__(self, *modules: Module):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], dict):
            self._names, self.layers = [str(n) for n in modules[0]], list(modules[0].values())
        else:
            self._names, self.layers = None, list(modules)

    def __getattr__(self, name):
        # Only reached when normal lookup fails: a child named by the OrderedDict form.
        names = self.__dict__.get("_names")
        if names and name in names:
            return self.__dict__["layers"][names.index(name)]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def named_children(self):
        # Children are named 0, 1, 2 ... as in PyTorch, so state_dict keys are "0.weight".
        names = self._names or [str(i) for i in range(len(self.layers))]
        return zip(names, self.layers)

    def _members(self):
        yield from self.named_children()
        for name, value in vars(self).items():
            if name not in ("layers", "_names"):
                yield name, value

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self.layers[index]
        if self._names is None:
            return Sequential(*self.layers[index])
        return Sequential(dict(zip(self._names[index], self.layers[index])))  # keeps the names

    def __len__(self):
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def append(self, module: Module) -> Sequential:
        if self._names is not None:
            self._names.append(str(len(self.layers)))
        self.layers.append(module)
        return self


class ModuleList(Sequential):
    """A list of modules whose parameters are found; it has no forward of its own."""

    def __init__(self, modules=None):
        super().__init__(*(modules or ()))

    def forward(self, *args):
        raise NotImplementedError("ModuleList is a container; call its modules yourself")

    def __getitem__(self, index):
        return ModuleList(self.layers[index]) if isinstance(index, slice) else self.layers[index]


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
