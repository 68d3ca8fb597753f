"""Factories: tensors from data, constants and random draws (float32 unless told)."""
import numpy as np

from .random import generator
from .static.hooks import kernel
from .tensor import DEFAULT_FLOAT, Tensor, _shape_args


def tensor(data, dtype=None, requires_grad=False) -> Tensor:
    """A new tensor holding a copy of ``data`` (PyTorch's ``torch.tensor``)."""
    if isinstance(data, Tensor):
        data = data.data
    copied = np.array(data, copy=True) if isinstance(data, (np.ndarray, np.generic)) else data
    return Tensor(copied, requires_grad=requires_grad, dtype=dtype)


def _filled(shape, value, dtype, requires_grad):
    return Tensor(np.full(_shape_args(shape), value, dtype=dtype or DEFAULT_FLOAT),
                  requires_grad=requires_grad)


def zeros(*shape, dtype=None, requires_grad=False) -> Tensor:
    return _filled(shape, 0, dtype, requires_grad)


def ones(*shape, dtype=None, requires_grad=False) -> Tensor:
    return _filled(shape, 1, dtype, requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False) -> Tensor:
    if dtype is None and isinstance(fill_value, (bool, int)):
        dtype = bool if isinstance(fill_value, bool) else np.int64  # as PyTorch infers
    return _filled((shape,), fill_value, dtype, requires_grad)


def zeros_like(other: Tensor, dtype=None, requires_grad=False) -> Tensor:
    return _filled((other.shape,), 0, dtype or other.dtype, requires_grad)


def ones_like(other: Tensor, dtype=None, requires_grad=False) -> Tensor:
    return _filled((other.shape,), 1, dtype or other.dtype, requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False) -> Tensor:
    """[start, end) in steps; integers give int64, any float gives float32."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if ints else DEFAULT_FLOAT
    return Tensor(np.arange(start, end, step, dtype=dtype), requires_grad=requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False) -> Tensor:
    return Tensor(np.eye(n, m, dtype=dtype or DEFAULT_FLOAT), requires_grad=requires_grad)


def randn(*shape, dtype=None, requires_grad=False) -> Tensor:
    """Standard normal samples from the framework's generator."""
    data = kernel(_draw, "standard_normal", _shape_args(shape), np.dtype(dtype or DEFAULT_FLOAT))
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape, dtype=None, requires_grad=False) -> Tensor:
    """Uniform samples in [0, 1) from the framework's generator."""
    data = kernel(_draw, "random", _shape_args(shape), np.dtype(dtype or DEFAULT_FLOAT))
    return Tensor(data, requires_grad=requires_grad)


def _draw(method, shape, dtype):
    """Samples from the framework's generator; a kernel, so a compiled step draws anew."""
    return getattr(generator(), method)(shape, dtype=dtype)


def randint(low, high=None, size=None, dtype=np.int64) -> Tensor:
    """Integers in [low, high) (or [0, low) with one bound), PyTorch's argument order."""
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint needs a size, e.g. randint(0, 10, (3,))")
    if high <= low:
        raise ValueError(f"randint needs low < high; got low={low}, high={high}")
    size = (size,) if isinstance(size, int) else tuple(size)
    return Tensor(kernel(_integers, low, high, size, dtype))


def _integers(low, high, size, dtype):
    return generator().integers(low, high, size=size, dtype=dtype)
