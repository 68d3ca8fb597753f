"""The IDX file format of MNIST and Fashion-MNIST, read with every size checked.

Layout: two zero bytes, a dtype code, the number of dimensions n, then n big-endian uint32
sizes, then the values (big-endian), row-major. Files may be gzipped. Sizes are checked
against the actual byte count with Python integers, so a corrupted or hostile header is
refused before anything of its declared size is allocated.
"""
from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

DTYPES = {0x08: np.dtype(np.uint8), 0x09: np.dtype(np.int8), 0x0B: np.dtype(">i2"),
          0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
MAX_BYTES = 1 << 31  # larger than any IDX data set; a header claiming more is refused


class IDXError(ValueError):
    """A file that is not a well-formed IDX file; the message names the file and the problem."""


def read_idx(path, max_bytes: int = MAX_BYTES) -> np.ndarray:
    """Read an IDX file (raw or gzipped) into an array of native byte order."""
    path = os.fspath(path)
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as handle:
            return _parse(handle, path, max_bytes, None if gzipped else os.path.getsize(path))
    except (OSError, EOFError, zlib.error) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise IDXError(f"{path}: cannot be read as {'gzipped ' if gzipped else ''}IDX: "
                       f"{error}") from None


def _parse(handle, path, max_bytes, file_size):
    magic = handle.read(4)
    if len(magic) < 4:
        raise IDXError(f"{path}: too short for an IDX header ({len(magic)} bytes)")
    if magic[0] != 0 or magic[1] != 0:
        raise IDXError(f"{path}: bad magic number {magic.hex()}: an IDX file starts with two "
                       "zero bytes")
    if magic[2] not in DTYPES:
        raise IDXError(f"{path}: unknown IDX dtype code 0x{magic[2]:02x}")
    dtype, ndim = DTYPES[magic[2]], magic[3]
    if ndim == 0:
        raise IDXError(f"{path}: the header declares 0 dimensions")
    header = handle.read(4 * ndim)
    if len(header) < 4 * ndim:
        raise IDXError(f"{path}: truncated header: {ndim} dimension sizes declared")
    shape = tuple(int.from_bytes(header[4 * i:4 * i + 4], "big") for i in range(ndim))
    expected = dtype.itemsize
    for n in shape:
        expected *= n  # Python integers: exact, no overflow
    if expected > max_bytes:
        raise IDXError(f"{path}: the header declares shape {shape}, {expected} bytes of data, "
                       f"more than the limit of {max_bytes}")
    if file_size is not None and file_size - 4 - 4 * ndim != expected:
        raise IDXError(f"{path}: the header declares shape {shape} ({expected} bytes of data) but "
                       f"the file holds {file_size - 4 - 4 * ndim}")
    data = handle.read(expected + 1)  # one byte more than declared reveals trailing data
    if len(data) != expected:
        raise IDXError(f"{path}: the header declares shape {shape} ({expected} bytes of data) but "
                       f"the file holds {'more' if len(data) > expected else len(data)}")
    return np.frombuffer(data, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))
