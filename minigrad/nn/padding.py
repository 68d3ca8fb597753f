"""Padding layers: modules over ``F.pad`` for the last one (1d) or two (2d) dimensions,
PyTorch's ``ZeroPad``, ``ConstantPad``, ``ReflectionPad`` and ``ReplicationPad``. ``padding``
is an int (every side) or (left, right[, top, bottom])."""
from . import functional as F
from .module import Module


class _Pad(Module):
    dimensions: int  # how many trailing dimensions are padded
    mode = "constant"

    def __init__(self, padding, value: float = 0.0):
        super().__init__()
        sides = 2 * self.dimensions
        padding = (padding,) * sides if isinstance(padding, int) else tuple(padding)
        if len(padding) != sides:
            raise ValueError(f"{type(self).__name__}: padding must be an int or {sides} "
                             f"numbers; got {padding!r}")
        self.padding, self.value = padding, value

    def forward(self, input):
        if self.mode == "constant":
            return F.pad(input, self.padding, "constant", self.value)
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}" + (f", value={self.value}" if self.mode == "constant" else "")


class ConstantPad1d(_Pad):
    """Pads the last dimension with ``value``; ``nn.ConstantPad1d(padding, value)``."""
    dimensions = 1

    def __init__(self, padding, value: float):
        super().__init__(padding, value)


class ConstantPad2d(ConstantPad1d):
    """Pads the last two dimensions with ``value``; ``nn.ConstantPad2d(padding, value)``."""
    dimensions = 2


class ZeroPad1d(_Pad):
    """Pads the last dimension with zeros; ``nn.ZeroPad1d(padding)``."""
    dimensions = 1

    def __init__(self, padding):
        super().__init__(padding, 0.0)


class ZeroPad2d(ZeroPad1d):
    """Pads the last two dimensions with zeros; ``nn.ZeroPad2d(padding)``."""
    dimensions = 2


class ReflectionPad1d(ZeroPad1d):
    """Mirrors the last dimension at its edges (without repeating them)."""
    mode = "reflect"


class ReflectionPad2d(ReflectionPad1d):
    """Mirrors the last two dimensions at their edges."""
    dimensions = 2


class ReplicationPad1d(ZeroPad1d):
    """Repeats the edge values of the last dimension."""
    mode = "replicate"


class ReplicationPad2d(ReplicationPad1d):
    """Repeats the edge values of the last two dimensions."""
    dimensions = 2
