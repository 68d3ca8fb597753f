"""torchvision's geometric transforms: ``Resize``, ``CenterCrop``, ``Pad``, ``RandomCrop``,
``RandomHorizontalFlip``, ``RandomVerticalFlip``.

Each takes one image, as torchvision's do: a uint8 H x W (x C) array (standing in for a PIL
image, before ``ToTensor``) or a C x H x W tensor (after it), and returns the same kind. The
random ones draw from the framework's generator, so ``manual_seed`` makes them reproducible.
They have no batch form: a DataLoader applies a chain holding one to each sample in turn.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..random import generator
from ..tensor import Tensor


def _spatial(image):
    """(array, axis of the height): arrays are H x W (x C), tensors C x H x W."""
    if isinstance(image, Tensor):
        return image.array, image.ndim - 2
    array = np.asarray(image)
    if array.ndim not in (2, 3):
        raise ValueError(f"expected an H x W or H x W x C image; got shape {array.shape}")
    return array, 0


def _like(image, array):
    return Tensor(np.ascontiguousarray(array)) if isinstance(image, Tensor) else array


def _pair(size, name):
    if isinstance(size, numbers.Integral):
        return int(size), int(size)
    if len(size) == 1:
        return int(size[0]), int(size[0])
    if len(size) != 2:
        raise ValueError(f"{name} must be an int or a pair; got {size!r}")
    return int(size[0]), int(size[1])


def _crop(image, top, left, height, width):
    array, h_axis = _spatial(image)
    index = [slice(None)] * array.ndim
    index[h_axis], index[h_axis + 1] = slice(top, top + height), slice(left, left + width)
    return _like(image, array[tuple(index)])


def _pad(image, padding, fill=0, padding_mode="constant"):
    """padding: an int, (left/right, top/bottom) or (left, top, right, bottom), as torchvision."""
    padding = (padding,) if isinstance(padding, numbers.Integral) else tuple(padding)
    if len(padding) == 1:
        left = top = right = bottom = padding[0]
    elif len(padding) == 2:
        (left, top), (right, bottom) = padding, padding
    elif len(padding) == 4:
        left, top, right, bottom = padding
    else:
        raise ValueError(f"padding must be an int or 1, 2 or 4 numbers; got {padding!r}")
    modes = {"constant": "constant", "edge": "edge", "reflect": "reflect",
             "symmetric": "symmetric"}
    if padding_mode not in modes:
        raise ValueError(f"padding_mode must be 'constant', 'edge', 'reflect' or 'symmetric'; "
                         f"got {padding_mode!r}")
    array, h_axis = _spatial(image)
    widths = [(0, 0)] * array.ndim
    widths[h_axis], widths[h_axis + 1] = (top, bottom), (left, right)
    extra = {"constant_values": fill} if padding_mode == "constant" else {}
    return _like(image, np.pad(array, widths, modes[padding_mode], **extra))


class CenterCrop:
    """The central size[0] x size[1] region (padded with zeros first if the image is
    smaller, as torchvision does)."""

    def __init__(self, size):
        self.size = _pair(size, "size")

    def __call__(self, img):
        array, h_axis = _spatial(img)
        height, width = array.shape[h_axis:h_axis + 2]
        want_h, want_w = self.size
        if want_h > height or want_w > width:
            pad_h, pad_w = max(want_h - height, 0), max(want_w - width, 0)
            img = _pad(img, (pad_w // 2, pad_h // 2, (pad_w + 1) // 2, (pad_h + 1) // 2))
            array, h_axis = _spatial(img)
            height, width = array.shape[h_axis:h_axis + 2]
        top = int(round((height - want_h) / 2.0))
        left = int(round((width - want_w) / 2.0))
        return _crop(img, top, left, want_h, want_w)

    def __repr__(self):
        return f"CenterCrop(size={self.size})"


class Pad:
    """Pads the borders; ``Pad(padding, fill=0, padding_mode='constant')``."""

    def __init__(self, padding, fill=0, padding_mode="constant"):
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def __call__(self, img):
        return _pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self):
        return f"Pad(padding={self.padding}, fill={self.fill}, padding_mode={self.padding_mode})"


class RandomCrop:
    """A random size[0] x size[1] region, after optional ``padding`` (CIFAR's
    ``RandomCrop(32, padding=4)``); ``RandomCrop(size, padding=None, pad_if_needed=False,
    fill=0, padding_mode='constant')``."""

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0,
                 padding_mode="constant"):
        self.size, self.padding = _pair(size, "size"), padding
        self.pad_if_needed, self.fill, self.padding_mode = pad_if_needed, fill, padding_mode

    def __call__(self, img):
        if self.padding is not None:
            img = _pad(img, self.padding, self.fill, self.padding_mode)
        array, h_axis = _spatial(img)
        height, width = array.shape[h_axis:h_axis + 2]
        want_h, want_w = self.size
        if self.pad_if_needed and (height < want_h or width < want_w):
            grow_w, grow_h = max(want_w - width, 0), max(want_h - height, 0)
            img = _pad(img, (grow_w, grow_h), self.fill, self.padding_mode)
            array, h_axis = _spatial(img)
            height, width = array.shape[h_axis:h_axis + 2]
        if height < want_h or width < want_w:
            raise ValueError(f"RandomCrop: the crop {self.size} is larger than the image "
                             f"({height}, {width})")
        top = int(generator().integers(0, height - want_h + 1))
        left = int(generator().integers(0, width - want_w + 1))
        return _crop(img, top, left, want_h, want_w)

    def __repr__(self):
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirrors the image left-right with probability p."""

    axis_offset = 1  # the width: one after the height

    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, img):
        if generator().random() >= self.p:
            return img
        array, h_axis = _spatial(img)
        return _like(img, np.flip(array, h_axis + self.axis_offset))

    def __repr__(self):
        return f"{type(self).__name__}(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Mirrors the image top-bottom with probability p."""

    axis_offset = 0


class Resize:
    """Resized to ``size`` (a pair), or with its shorter edge to ``size`` (an int, the aspect
    ratio kept, as torchvision), by bilinear interpolation (half-pixel centres, without
    torchvision's antialiasing when shrinking); a uint8 image stays uint8 (rounded).
    ``Resize(size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True)``:
    'nearest' is the other interpolation provided."""

    def __init__(self, size, interpolation="bilinear", max_size=None, antialias=True):
        self.size, self.max_size = size, max_size
        self.interpolation = str(getattr(interpolation, "value", interpolation)).lower()
        if self.interpolation not in ("bilinear", "nearest"):
            raise ValueError(f"Resize: interpolation must be bilinear or nearest; got "
                             f"{interpolation!r}")

    def _target(self, height, width):
        if not isinstance(self.size, numbers.Integral) and len(self.size) == 2:
            return int(self.size[0]), int(self.size[1])
        short = int(self.size if isinstance(self.size, numbers.Integral) else self.size[0])
        long = int(short * max(height, width) / min(height, width))
        if self.max_size is not None and long > self.max_size:
            short, long = int(self.max_size * short / long), self.max_size
        return (short, long) if height <= width else (long, short)

    def __call__(self, img):
        from ..nn.functional.interpolation import interpolate
        array, h_axis = _spatial(img)
        size = self._target(*array.shape[h_axis:h_axis + 2])
        # As an (N, C, H, W) float image, whatever the layout came in as.
        nchw = np.moveaxis(array, (h_axis, h_axis + 1), (-2, -1)).astype(np.float32)
        nchw = nchw.reshape((-1,) + nchw.shape[-2:])[None]
        out = interpolate(Tensor(nchw), size=size, mode=self.interpolation).array[0]
        out = out.reshape(np.moveaxis(array, (h_axis, h_axis + 1), (-2, -1)).shape[:-2] + size)
        out = np.moveaxis(out, (-2, -1), (h_axis, h_axis + 1))
        if array.dtype == np.uint8:
            out = np.clip(np.round(out), 0, 255).astype(np.uint8)
        else:
            out = out.astype(array.dtype, copy=False)
        return _like(img, out)

    def __repr__(self):
        return f"Resize(size={self.size}, interpolation={self.interpolation})"
