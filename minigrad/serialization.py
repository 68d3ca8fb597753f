"""Safe checkpoints: ``minigrad.save(obj, path)`` and ``minigrad.load(path)``.

A checkpoint holds nested dicts, lists and tuples of tensors, arrays, numbers, strings and
None, and nothing else: there is no pickle anywhere, so loading a file can never run code.

File layout (all integers little-endian):

    b"MINIGRAD"  | format version (uint32) | header length (uint64)
    header: UTF-8 JSON {"structure": ..., "arrays": [{"dtype", "shape", "offset", "nbytes"}]}
    payload: the arrays' raw bytes, back to back
    SHA-256 of everything above (32 bytes)

Loading checks the digest first (a flipped bit or a truncation is caught before anything
is parsed), then every size against the actual byte count with Python integers (an absurd
header is refused before any allocation), and only numeric dtypes are accepted.

Saving is atomic: the file is written to a temporary file in the same directory, flushed
and fsynced, then moved over the target with ``os.replace``; an error at any point leaves
the previous file untouched and no temporary file behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile

import numpy as np

from .device import check_device
from .tensor import Tensor

MAGIC = b"MINIGRAD"
VERSION = 1
_PREFIX = struct.Struct("<8sIQ")
_DIGEST_SIZE = 32
_ALLOWED_DTYPES = {np.dtype(t).str for t in (np.bool_, np.int8, np.int16, np.int32, np.int64,
                                             np.uint8, np.uint16, np.uint32, np.uint64,
                                             np.float16, np.float32, np.float64)}


class CheckpointError(ValueError):
    """The file is not a valid minigrad checkpoint (corrupted, truncated or foreign)."""


# ------------------------------------------------------------------------------ saving
def _encode(obj, arrays: list):
    """The JSON form of ``obj``; arrays are appended to ``arrays`` and referenced by index."""
    if obj is None:
        return {"none": None}
    if isinstance(obj, bool):
        return {"bool": obj}
    if isinstance(obj, int):
        return {"int": obj}
    if isinstance(obj, float):
        return {"float": obj.hex()}  # exact, including inf and nan
    if isinstance(obj, str):
        return {"str": obj}
    if isinstance(obj, Tensor):
        arrays.append(obj.array)
        return {"tensor": len(arrays) - 1, "requires_grad": obj.requires_grad}
    if isinstance(obj, (np.ndarray, np.generic)):
        if np.dtype(obj.dtype).str not in _ALLOWED_DTYPES:
            raise TypeError(f"cannot save an array of dtype {obj.dtype}; only numeric arrays")
        arrays.append(np.asarray(obj))
        return {"array" if isinstance(obj, np.ndarray) else "scalar": len(arrays) - 1}
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"cannot save a dict key of type {type(key).__name__} "
                                f"({key!r}); keys must be str or int")
            items.append([key, _encode(value, arrays)])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        return {type(obj).__name__: [_encode(v, arrays) for v in obj]}
    raise TypeError(f"cannot save an object of type {type(obj).__name__}: checkpoints hold only "
                    "dicts, lists, tuples, tensors, arrays, numbers, strings and None")


def _serialize(obj) -> bytes:
    arrays: list[np.ndarray] = []
    structure = _encode(obj, arrays)
    table, offset = [], 0
    # np.ascontiguousarray would turn 0-d arrays into 1-d ones; np.require keeps the shape.
    arrays = [np.require(a, requirements="C") for a in arrays]
    for array in arrays:
        table.append({"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset,
                      "nbytes": array.nbytes})
        offset += array.nbytes
    header = json.dumps({"structure": structure, "arrays": table}).encode("utf-8")
    body = b"".join([_PREFIX.pack(MAGIC, VERSION, len(header)), header]
                    + [a.tobytes() for a in arrays])
    return body + hashlib.sha256(body).digest()


def save(obj, path) -> None:
    """Write ``obj`` to ``path`` atomically (see the module docstring for the format)."""
    data = _serialize(obj)  # any unsupported object fails here, before the disk is touched
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    tmp_path = None
    try:
        fd, tmp_path = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.",
                                        suffix=".tmp")
        # mkstemp makes the file private (0600); give it the mode any new file gets.
        os.chmod(tmp_path, 0o666 & ~_current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_path, path)
        tmp_path = None
        _fsync_directory(directory)
    except OSError as error:
        raise OSError(error.errno, f"could not save checkpoint to {path}: "
                                   f"{error.strerror or error}") from error
    finally:
        if tmp_path is not None and os.path.exists(tmp_path):
            os.unlink(tmp_path)


def _current_umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it, so set it straight back
    os.umask(mask)
    return mask


def _fsync_directory(directory):
    # Makes the rename itself durable; not every platform allows opening a directory.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------ loading
def load(path, map_location=None, weights_only=None):
    """Read a checkpoint written by ``save``. Raises ``CheckpointError`` naming the file and
    the problem for anything that is not an intact minigrad checkpoint.

    ``weights_only`` is accepted for PyTorch programs: loading is always that safe here.
    ``map_location`` may only name the CPU."""
    if map_location is not None and not callable(map_location):
        check_device(map_location)
    path = os.fspath(path)
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return _deserialize(data)
    except CheckpointError as error:
        raise CheckpointError(f"{path}: {error}") from None


def _deserialize(data: bytes):
    if len(data) < _PREFIX.size + _DIGEST_SIZE:
        raise CheckpointError(f"not a minigrad checkpoint: only {len(data)} bytes")
    magic, version, header_length = _PREFIX.unpack_from(data)
    if magic != MAGIC:
        raise CheckpointError(f"not a minigrad checkpoint (starts with {data[:8]!r}); refusing "
                              "to interpret it")
    if version != VERSION:
        raise CheckpointError(f"checkpoint format version {version} is not supported "
                              f"(this minigrad reads version {VERSION})")
    body, digest = data[:-_DIGEST_SIZE], data[-_DIGEST_SIZE:]
    if hashlib.sha256(body).digest() != digest:
        raise CheckpointError("checksum mismatch: the file is truncated or corrupted")
    payload_start = _PREFIX.size + header_length
    if payload_start > len(body):
        raise CheckpointError(f"header length {header_length} exceeds the file size")
    try:
        header = json.loads(body[_PREFIX.size:payload_start].decode("utf-8"))
        structure, table = header["structure"], header["arrays"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, RecursionError) as error:
        raise CheckpointError(f"malformed header: {error}") from None
    arrays = _read_arrays(table, body, payload_start)
    try:
        return _decode(structure, arrays)
    except RecursionError:
        raise CheckpointError("structure nested too deeply") from None


def _read_arrays(table, body: bytes, payload_start: int):
    payload_size = len(body) - payload_start
    arrays = []
    if not isinstance(table, list):
        raise CheckpointError("malformed header: the array table is not a list")
    for i, entry in enumerate(table):
        try:
            dtype_str, shape = entry["dtype"], entry["shape"]
            offset, nbytes = entry["offset"], entry["nbytes"]
        except (KeyError, TypeError):
            raise CheckpointError(f"malformed entry for array {i}") from None
        if dtype_str not in _ALLOWED_DTYPES:
            raise CheckpointError(f"array {i} has dtype {dtype_str!r}; only numeric dtypes are "
                                  "allowed")
        if (not isinstance(shape, list) or not all(isinstance(n, int) and n >= 0 for n in shape)
                or not all(isinstance(v, int) and v >= 0 for v in (offset, nbytes))):
            raise CheckpointError(f"array {i} has an invalid shape, offset or size")
        dtype = np.dtype(dtype_str)
        expected = dtype.itemsize
        for n in shape:
            expected *= n  # Python integers: no overflow, and nothing allocated yet
        if expected != nbytes or offset + nbytes > payload_size:
            raise CheckpointError(f"array {i} of shape {shape} and dtype {dtype_str} declares "
                                  f"{nbytes} bytes at offset {offset}; the payload has "
                                  f"{payload_size}")
        start = payload_start + offset
        arrays.append(np.frombuffer(body, dtype=dtype, count=int(np.prod(shape, dtype=object)),
                                    offset=start).reshape(tuple(shape)).copy())
    return arrays


def _decode(node, arrays):
    if not isinstance(node, dict) or len(node) not in (1, 2):
        raise CheckpointError(f"malformed structure node {str(node)[:80]!r}")
    kind = next(iter(node))
    value = node[kind]
    try:
        if kind == "none":
            return None
        if kind in ("bool", "int", "str"):
            expected = {"bool": bool, "int": int, "str": str}[kind]
            if type(value) is not expected:
                raise CheckpointError(f"a {kind} node holds {value!r}")
            return value
        if kind == "float":
            return float.fromhex(value)
        if kind in ("tensor", "array", "scalar"):
            array = arrays[value]
            if kind == "array":
                return array
            if kind == "scalar":
                return array[()]
            return Tensor(array, requires_grad=bool(node.get("requires_grad", False)))
        if kind == "dict":
            return {key: _decode(item, arrays) for key, item in value}
        if kind in ("list", "tuple"):
            items = [_decode(item, arrays) for item in value]
            return items if kind == "list" else tuple(items)
    except (IndexError, TypeError, ValueError) as error:
        if isinstance(error, CheckpointError):
            raise
        raise CheckpointError(f"malformed {kind} node: {error}") from None
    raise CheckpointError(f"unknown node kind {kind!r}")
