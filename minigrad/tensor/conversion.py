"""Conversions: to NumPy and Python, to another dtype or device, out of the graph (detach)
or into a copy (clone)."""
from __future__ import annotations

import numpy as np

from ..device import CPU, check_device, device as Device
from ..dtypes import get_default_dtype

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None

# The legacy type names of ``tensor.type()``, as PyTorch spells them.
TYPE_NAMES = {np.dtype(np.float32): "torch.FloatTensor", np.dtype(np.float64): "torch.DoubleTensor",
              np.dtype(np.float16): "torch.HalfTensor", np.dtype(np.int64): "torch.LongTensor",
              np.dtype(np.int32): "torch.IntTensor", np.dtype(np.int16): "torch.ShortTensor",
              np.dtype(np.int8): "torch.CharTensor", np.dtype(np.uint8): "torch.ByteTensor",
              np.dtype(np.bool_): "torch.BoolTensor"}


def _to_array(data, dtype=None) -> np.ndarray:
    if isinstance(data, Tensor):
        array = data.array
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    else:
        array = np.array(data)
        if array.dtype == np.float64 and dtype is None:
            # Python floats default to float32; an explicit dtype takes them at full precision.
            array = array.astype(get_default_dtype())
    if array.dtype.kind not in "biuf":
        raise TypeError(f"cannot make a tensor from data of dtype {array.dtype}; "
                        "expected numbers or booleans")
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    return array


def _is_device(value) -> bool:
    return isinstance(value, Device) or (isinstance(value, str) and value.split(":")[0] in
                                          ("cpu", "cuda", "mps", "xpu", "meta", "xla"))


class ConversionMethods:
    __slots__ = ()

    @property
    def device(self):
        return CPU

    is_cuda = False

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError("can't call numpy() on a tensor that requires grad; "
                               "use tensor.detach().numpy()")
        return self.array

    def detach(self):
        """The same data, cut off from the graph. As in PyTorch it shares the version counter
        (unlike ``.data``): a change of either in place is seen by the saved-value checks."""
        detached = Tensor._make(self.array, False, None)
        if self._requires_grad:
            autograd.rebase.link_detached(self, detached)
        return detached

    def clone(self):
        return F.clone(self)

    def astype(self, dtype):
        return self if self.dtype == np.dtype(dtype) else ops.AsType.apply(self, dtype=dtype)

    def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False):
        """PyTorch's ``to``: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``,
        ``to(other_tensor)``; only the CPU is a valid device. Returns ``self`` when nothing
        changes (unless ``copy``)."""
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif _is_device(arg):
                device = arg
            else:
                dtype = arg
        check_device(device)
        result = self if dtype is None else self.astype(dtype)
        return result.clone() if copy and result is self else result

    def cpu(self):
        return self

    def cuda(self, *args, **kwargs):
        return check_device("cuda")

    def type(self, dtype=None):
        """No argument: PyTorch's type name ('torch.FloatTensor'); else ``to(dtype)``, where
        ``dtype`` may also be such a name."""
        if dtype is None:
            return TYPE_NAMES.get(self.dtype, f"torch.{self.dtype}")
        dtype = getattr(dtype, "legacy_dtype", dtype)  # torch.FloatTensor and the like
        if isinstance(dtype, str):
            by_name = {name: np_dtype for np_dtype, name in TYPE_NAMES.items()}
            if dtype not in by_name:
                raise TypeError(f"unknown tensor type name {dtype!r}; expected one of "
                                f"{', '.join(by_name)}")
            dtype = by_name[dtype]
        return self.astype(dtype)

    def float(self):
        return self.astype(np.float32)

    def double(self):
        return self.astype(np.float64)

    def half(self):
        return self.astype(np.float16)

    def long(self):
        return self.astype(np.int64)

    def int(self):
        return self.astype(np.int32)

    def bool(self):
        return self.astype(np.bool_)

    def element_size(self) -> int:
        return self.array.itemsize

    def type_as(self, other):
        return self.to(other.dtype)

    def stride(self, dim=None):
        """Elements (not bytes) to step in each dimension, as PyTorch counts them."""
        strides = tuple(step // self.array.itemsize for step in self.array.strides)
        return strides if dim is None else strides[dim]

    # New tensors with this one's dtype (and device), PyTorch's new_* constructors.
    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        return self._new(np.zeros, size, dtype, device, requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        return self._new(np.ones, size, dtype, device, requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return self._new(np.zeros, size, dtype, device, requires_grad)  # zeros, as torch.empty

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        return self._new(lambda shape, dtype: np.full(shape, fill_value, dtype), (size,), dtype,
                         device, requires_grad)

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        check_device(device)
        array = np.array(data.array if isinstance(data, Tensor) else data,
                         dtype=self.array.dtype if dtype is None else dtype)
        return Tensor(array, requires_grad=requires_grad)

    def _new(self, fill, size, dtype, device, requires_grad):
        check_device(device)
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) \
            else tuple(size)
        array = fill(shape, dtype=self.array.dtype if dtype is None else dtype)
        return Tensor(array, requires_grad=requires_grad)

