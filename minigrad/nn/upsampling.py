"""Upsampling layers: modules over ``functional.interpolate`` (decoders, U-Nets, GANs)."""
from . import functional as F
from .module import Module


class Upsample(Module):
    """Resize to ``size`` or by ``scale_factor`` with ``mode`` ('nearest', 'nearest-exact',
    'linear', 'bilinear'); PyTorch's ``nn.Upsample(size=None, scale_factor=None,
    mode='nearest', align_corners=None, recompute_scale_factor=None)``."""

    def __init__(self, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             self.recompute_scale_factor)

    def extra_repr(self):
        shown = (f"scale_factor={float(self.scale_factor)}" if self.scale_factor is not None
                 and not isinstance(self.scale_factor, tuple) else
                 f"scale_factor={self.scale_factor}" if self.scale_factor is not None
                 else f"size={self.size}")
        return f"{shown}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``Upsample(mode='nearest')`` for 4-D inputs; ``nn.UpsamplingNearest2d(size=None,
    scale_factor=None)``."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, "nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(mode='bilinear', align_corners=True)``; ``nn.UpsamplingBilinear2d(
    size=None, scale_factor=None)``."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, "bilinear", align_corners=True)
