"""The IDX parser: good files (raw and gzipped) and every kind of malformed one."""
import gzip
import struct

import numpy as np
import pytest

from minigrad.data import IDXError, read_idx


def idx_bytes(array, dtype_code=0x08, shape=None):
    shape = array.shape if shape is None else shape
    header = bytes([0, 0, dtype_code, len(shape)]) + b"".join(struct.pack(">I", n) for n in shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(tmp_path, name, data, gz=False):
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("dtype,code", [(np.uint8, 0x08), (np.int8, 0x09), (np.int16, 0x0B),
                                        (np.int32, 0x0C), (np.float32, 0x0D), (np.float64, 0x0E)])
def test_reads_every_dtype_raw_and_gzipped(tmp_path, gz, dtype, code):
    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    loaded = read_idx(write(tmp_path, "a.idx", idx_bytes(array, code), gz))
    np.testing.assert_array_equal(loaded, array)
    assert loaded.dtype == np.dtype(dtype) and loaded.dtype.isnative


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("data,message", [
    (b"\x00\x00", "too short for an IDX header"),
    (b"\x01\x00\x08\x01\x00\x00\x00\x01\x05", "bad magic number 01000801"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x05", "unknown IDX dtype code 0x07"),
    (b"\x00\x00\x08\x00", "declares 0 dimensions"),
    (b"\x00\x00\x08\x03\x00\x00\x00\x02", "truncated header: 3 dimension sizes"),
    (idx_bytes(np.zeros(10, np.uint8))[:-3], r"declares shape \(10,\) \(10 bytes of data\)"),
    (idx_bytes(np.zeros(10, np.uint8)) + b"extra", r"declares shape \(10,\)"),
    (bytes([0, 0, 0x0E, 3]) + struct.pack(">III", 2**32 - 1, 2**32 - 1, 2**32 - 1),
     "more than the limit"),
])
def test_malformed_files_are_refused_with_the_file_named(tmp_path, gz, data, message):
    path = write(tmp_path, "bad.idx", data, gz)
    with pytest.raises(IDXError, match=message) as info:
        read_idx(path)
    assert "bad.idx" in str(info.value)


def test_corrupted_gzip_stream(tmp_path):
    data = bytearray(gzip.compress(idx_bytes(np.arange(100, dtype=np.uint8))))
    data[len(data) // 2] ^= 0xFF
    path = write(tmp_path, "broken.gz", bytes(data))
    with pytest.raises(IDXError, match="broken.gz"):
        read_idx(path)


def test_missing_file():
    with pytest.raises(FileNotFoundError):
        read_idx("/nonexistent/file.idx")
