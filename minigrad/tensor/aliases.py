"""Methods that are only another name for a method defined elsewhere, one line each."""
from __future__ import annotations

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


class Aliases:
    __slots__ = ()

    def view(self, *shape): return self.reshape(*shape)  # noqa: E704
    def clip(self, min=None, max=None): return self.clamp(min, max)  # noqa: E704
