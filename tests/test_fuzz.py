"""Fuzzing: the IDX parser and the checkpoint loader, fed random and mutated bytes, either
return a valid result or raise their documented error, within a memory bound, quickly."""
import gzip
import hashlib
import os
import struct
import tempfile

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

import minigrad as mg
from minigrad.data import IDXError, read_idx
from minigrad.serialization import CheckpointError, _serialize

LIMIT = 1 << 20
FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def valid_idx():
    array = np.arange(60, dtype=np.uint8).reshape(3, 4, 5)
    return bytes([0, 0, 0x08, 3]) + struct.pack(">III", 3, 4, 5) + array.tobytes()


def with_file(data: bytes, action):
    handle, path = tempfile.mkstemp()
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        return action(path)
    finally:
        os.unlink(path)


def mutate(data: bytes, flips, cut, extra) -> bytes:
    data = bytearray(data)
    for position, value in flips:
        if data:
            data[position % len(data)] = value
    data = data[: max(0, len(data) - cut)] + extra
    return bytes(data)


mutations = dict(flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=6),
                 cut=st.integers(0, 40), extra=st.binary(max_size=20))


def check_idx(data: bytes):
    def parse(path):
        try:
            array = read_idx(path, max_bytes=LIMIT)
        except IDXError:
            return
        assert isinstance(array, np.ndarray) and array.nbytes <= LIMIT
    with_file(data, parse)


@FUZZ
@given(data=st.binary(max_size=300))
def test_idx_random_bytes(data):
    check_idx(data)


@FUZZ
@given(gz=st.booleans(), **mutations)
def test_idx_mutated_files(gz, flips, cut, extra):
    data = mutate(valid_idx(), flips, cut, extra)
    check_idx(gzip.compress(data) if gz else data)


@FUZZ
@given(**mutations)
def test_idx_mutated_gzip_streams(flips, cut, extra):
    check_idx(mutate(gzip.compress(valid_idx()), flips, cut, extra))


def check_checkpoint(data: bytes):
    def parse(path):
        try:
            mg.load(path)
        except CheckpointError:
            pass
    with_file(data, parse)


CHECKPOINT = _serialize({"model": {"w": mg.ones(3, 2), "b": np.arange(4)}, "step": 3,
                         "lr": 0.1, "betas": (0.9, 0.999), "name": "x", "none": None})


@FUZZ
@given(data=st.binary(max_size=300))
def test_checkpoint_random_bytes(data):
    check_checkpoint(b"MINIGRAD" + data if data[:1] == b"\x00" else data)


@FUZZ
@given(**mutations)
def test_checkpoint_mutated_files(flips, cut, extra):
    check_checkpoint(mutate(CHECKPOINT, flips, cut, extra))


@FUZZ
@given(**mutations)
def test_checkpoint_mutated_and_re_signed(flips, cut, extra):
    # A valid digest over damaged content: the parser itself must hold, not just the checksum.
    body = mutate(CHECKPOINT[:-32], flips, cut, extra)
    check_checkpoint(body + hashlib.sha256(body).digest())
