"""Factories: tensors from data, constants, ranges and random draws.

Float factories use the default dtype (float32 unless ``set_default_dtype`` changed it); every
factory takes PyTorch's ``dtype=``, ``device=`` (the CPU only) and ``requires_grad=``.
"""
import numpy as np

from .device import check_device
from .dtypes import get_default_dtype
from .random import numpy_generator
from .static.hooks import kernel
from .tensor import Tensor, _shape_args


def _make(array, dtype, device, requires_grad) -> Tensor:
    check_device(device)
    return Tensor(array, requires_grad=requires_grad, dtype=dtype)


def tensor(data, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A new tensor holding a copy of ``data`` (PyTorch's ``torch.tensor``)."""
    if isinstance(data, Tensor):
        data = data.array
    elif isinstance(data, (list, tuple)) and data and isinstance(data[0], Tensor):
        data = [np.asarray(t.array) for t in data]  # a list of tensors: stacked
    copied = np.array(data, copy=True) if isinstance(data, (np.ndarray, np.generic)) else data
    return _make(copied, dtype, device, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like ``tensor`` but shares the memory of a NumPy array or tensor when it can."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == np.dtype(dtype)):
        return data
    return _make(data if isinstance(data, np.ndarray) else np.asarray(data), dtype, device, False)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing ``array``'s memory: changing one changes the other (PyTorch's rule)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a NumPy array; got {type(array).__name__}")
    return Tensor(array)


def _filled(shape, value, dtype, device, requires_grad):
    check_device(device)
    return Tensor(np.full(_shape_args(shape), value, dtype=dtype or get_default_dtype()),
                  requires_grad=requires_grad)


def zeros(*shape, size=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False) -> Tensor:
    return _filled(_size(shape, size, out), 0, dtype, device, requires_grad)


def ones(*shape, size=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False) -> Tensor:
    return _filled(_size(shape, size, out), 1, dtype, device, requires_grad)


def empty(*shape, size=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False, memory_format=None) -> Tensor:
    """Uninitialised in PyTorch; zeros here, so a bug never reads garbage."""
    return _filled(_size(shape, size, out), 0, dtype, device, requires_grad)


def _size(shape, size, out):
    """The shape, given positionally (``zeros(2, 3)``, ``zeros((2, 3))``) or as ``size=``."""
    if out is not None:
        raise ValueError("out= is not supported by minigrad (use the return value)")
    if size is not None:
        if shape:
            raise TypeError(f"the size is given twice: {shape} and size={size}")
        return (size,)  # one argument, as _shape_args expects: an int or a sequence
    return shape


def full(shape, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    if dtype is None and isinstance(fill_value, (bool, int)):
        dtype = bool if isinstance(fill_value, bool) else np.int64  # as PyTorch infers
    return _filled((shape,), fill_value, dtype, device, requires_grad)


def zeros_like(other: Tensor, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _filled((other.shape,), 0, dtype or other.dtype, device, requires_grad)


def ones_like(other: Tensor, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _filled((other.shape,), 1, dtype or other.dtype, device, requires_grad)


def empty_like(other: Tensor, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _filled((other.shape,), 0, dtype or other.dtype, device, requires_grad)


def full_like(other: Tensor, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _filled((other.shape,), fill_value, dtype or other.dtype, device, requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    """[start, end) in steps; integers give int64, any float gives the default float dtype."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if ints else get_default_dtype()
    return _make(np.arange(start, end, step, dtype=dtype), None, device, requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from start to end, both included."""
    values = np.linspace(start, end, steps, dtype=np.float64)  # computed in float64, then cast
    return _make(values, dtype or get_default_dtype(), device, requires_grad)


def logspace(start, end, steps, base=10.0, dtype=None, device=None, requires_grad=False) -> Tensor:
    """base ** linspace(start, end, steps)."""
    values = np.logspace(start, end, steps, base=base, dtype=np.float64)
    return _make(values, dtype or get_default_dtype(), device, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _make(np.eye(n, m, dtype=dtype or get_default_dtype()), None, device, requires_grad)


def randn(*shape, size=None, generator=None, out=None, dtype=None, layout=None,
          device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """Standard normal samples from ``generator`` (default: the framework's)."""
    data = kernel(_draw, generator, "standard_normal", _shape_args(_size(shape, size, out)),
                  np.dtype(dtype or get_default_dtype()))
    return _make(data, None, device, requires_grad)


def rand(*shape, size=None, generator=None, out=None, dtype=None, layout=None,
          device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """Uniform samples in [0, 1) from ``generator`` (default: the framework's)."""
    data = kernel(_draw, generator, "random", _shape_args(_size(shape, size, out)),
                  np.dtype(dtype or get_default_dtype()))
    return _make(data, None, device, requires_grad)


def _draw(generator, method, shape, dtype):
    """Samples from a generator; a kernel, so a compiled step draws anew."""
    return getattr(numpy_generator(generator), method)(shape, dtype=dtype)


def randn_like(input: Tensor, *, generator=None, dtype=None, device=None,
               requires_grad=False) -> Tensor:
    return randn(input.shape, generator=generator, dtype=dtype or input.dtype, device=device,
                 requires_grad=requires_grad)


def rand_like(input: Tensor, *, generator=None, dtype=None, device=None,
              requires_grad=False) -> Tensor:
    return rand(input.shape, generator=generator, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


def randint(low, high=None, size=None, *, generator=None, dtype=np.int64,
            device=None) -> Tensor:
    """Integers in [low, high) (or [0, low) with one bound), PyTorch's argument order."""
    if size is None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high  # randint(high, size), as PyTorch accepts
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint needs a size, e.g. randint(0, 10, (3,))")
    if high <= low:
        raise ValueError(f"randint needs low < high; got low={low}, high={high}")
    size = (size,) if isinstance(size, int) else tuple(size)
    return _make(kernel(_integers, generator, low, high, size, dtype), None, device, False)


def randint_like(input: Tensor, low=0, high=None, *, generator=None, dtype=None,
                 device=None) -> Tensor:
    return randint(low, high, input.shape, generator=generator, dtype=dtype or input.dtype,
                   device=device)


def _integers(generator, low, high, size, dtype):
    # Drawn as int64 and cast: randint(..., dtype=float32) holds whole numbers, as in PyTorch.
    draws = numpy_generator(generator).integers(low, high, size=size, dtype=np.int64)
    return draws.astype(dtype, copy=False)


def randperm(n, *, generator=None, dtype=np.int64, device=None) -> Tensor:
    """A random permutation of 0..n-1."""
    return _make(kernel(_permutation, generator, n, dtype), None, device, False)


def _permutation(generator, n, dtype):
    return numpy_generator(generator).permutation(n).astype(dtype, copy=False)
