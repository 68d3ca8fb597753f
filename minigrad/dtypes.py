"""PyTorch's dtype rules: what dtype a tensor gets, and what two operands combine to."""
from __future__ import annotations

import numpy as np

DEFAULT_FLOAT = np.float32  # Python floats (and float lists) become float32 unless changed

# PyTorch's dtype names, as NumPy types: ``dtype=minigrad.float`` and
# ``tensor.dtype == minigrad.float32`` both work, since np.dtype compares equal to its type.
NAMES = {"float": np.float32, "float32": np.float32, "float64": np.float64,
         "double": np.float64, "float16": np.float16, "half": np.float16, "int": np.int32,
         "int32": np.int32, "int64": np.int64, "long": np.int64, "int16": np.int16,
         "short": np.int16, "int8": np.int8, "uint8": np.uint8, "bool": np.bool_}

_default = {"float": np.dtype(DEFAULT_FLOAT)}


def get_default_dtype() -> np.dtype:
    """The dtype of tensors made from Python floats and of float factories (float32)."""
    return _default["float"]


def set_default_dtype(dtype) -> None:
    """PyTorch's ``set_default_dtype``: float32 or float64 (layers' parameters stay float32)."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"set_default_dtype accepts float32 or float64; got {dtype}")
    _default["float"] = dtype


def _is_float(dtype) -> bool:
    return np.dtype(dtype).kind == "f"


def result_dtype(a, b) -> np.dtype:
    """PyTorch's promotion for two operands (Tensors or Python scalars).

    A Python scalar only matters when it is of a higher category (bool < int < float) than
    the tensor; a float tensor always wins over an integer tensor, whatever their widths.
    """
    if is_scalar(b):
        a, b = b, a
    if is_scalar(a):  # a is a Python or NumPy scalar, b a tensor (or array)
        kind = scalar_kind(a)
        rank = {"b": 0, "u": 1, "i": 1, "f": 2}
        if rank[kind] <= rank[b.dtype.kind]:
            return b.dtype
        return _default["float"] if kind == "f" else np.dtype(np.int64)
    if _is_float(a.dtype) != _is_float(b.dtype):
        return a.dtype if _is_float(a.dtype) else b.dtype
    return np.promote_types(a.dtype, b.dtype)


def is_scalar(value) -> bool:
    return not hasattr(value, "dtype") or isinstance(value, np.generic)


def scalar_kind(value) -> str:
    """'b', 'i' or 'f' for a bool, integer or floating scalar (Python's or NumPy's)."""
    if isinstance(value, (bool, np.bool_)):
        return "b"
    if isinstance(value, (int, np.integer)):
        return "i"
    if isinstance(value, (float, np.floating)):
        return "f"
    raise TypeError(f"unsupported operand of type {type(value).__name__}: expected a tensor, "
                    "an array or a number")
