"""Checkpoints: exact round trips, refusal of anything foreign or damaged, atomic saves."""
import os
import pickle

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn


def example():
    return {"model": nn.Linear(3, 2).state_dict(), "step": 7, "lr": 0.1, "name": "run",
            "nothing": None, "special": [float("inf"), float("-inf"), float("nan"), 1 / 3],
            "betas": (0.9, 0.999), "array": np.arange(6, dtype=np.int32).reshape(2, 3),
            "scalar": np.float32(2.5), "flag": True, 3: "int key",
            "grad_tensor": mg.ones(2, requires_grad=True), "empty": np.zeros((0, 4))}


def test_round_trip_is_exact(tmp_path):
    path = tmp_path / "ckpt.mg"
    original = example()
    mg.save(original, path)
    loaded = mg.load(path)
    assert loaded["step"] == 7 and loaded["lr"] == 0.1 and loaded["name"] == "run"
    assert loaded["nothing"] is None and loaded["flag"] is True and loaded[3] == "int key"
    assert loaded["betas"] == (0.9, 0.999) and isinstance(loaded["betas"], tuple)
    special = loaded["special"]
    assert special[0] == np.inf and special[1] == -np.inf and np.isnan(special[2])
    assert special[3] == 1 / 3
    assert isinstance(loaded["array"], np.ndarray) and loaded["array"].dtype == np.int32
    np.testing.assert_array_equal(loaded["array"], original["array"])
    assert isinstance(loaded["scalar"], np.float32) and loaded["scalar"] == 2.5
    for key, tensor in original["model"].items():
        assert isinstance(loaded["model"][key], mg.Tensor)
        np.testing.assert_array_equal(loaded["model"][key].array, tensor.array)
        assert loaded["model"][key].dtype == np.float32
    assert loaded["grad_tensor"].requires_grad
    assert loaded["empty"].shape == (0, 4)


def test_unsupported_objects_are_refused_before_writing(tmp_path):
    path = tmp_path / "ckpt.mg"
    with pytest.raises(TypeError, match="type object"):
        mg.save({"bad": object()}, path)
    with pytest.raises(TypeError, match="dtype object"):
        mg.save({"bad": np.array([object()])}, path)
    assert not path.exists()


def test_pickle_file_is_refused_without_running_it(tmp_path):
    class Exploit:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    path = tmp_path / "evil.mg"
    path.write_bytes(pickle.dumps(Exploit()))
    with pytest.raises(mg.CheckpointError, match="evil.mg: not a minigrad checkpoint"):
        mg.load(path)
    assert not (tmp_path / "pwned").exists()


def _rewrite_header(path, old: bytes, new: bytes):
    """Edit the JSON header and re-sign the file, as a deliberate attacker would."""
    import hashlib
    import struct
    data = path.read_bytes()[:-32]
    magic, version, length = struct.unpack_from("<8sIQ", data)
    header = data[20:20 + length].replace(old, new)
    body = struct.pack("<8sIQ", magic, version, len(header)) + header + data[20 + length:]
    path.write_bytes(body + hashlib.sha256(body).digest())


def test_object_dtype_inside_a_well_formed_file_is_refused(tmp_path):
    from minigrad import serialization
    path = tmp_path / "ckpt.mg"
    mg.save({"a": np.arange(3.0)}, path)
    _rewrite_header(path, b'"<f8"', b'"|O"')
    with pytest.raises(serialization.CheckpointError, match="only numeric dtypes"):
        mg.load(path)


def test_absurd_sizes_are_refused_without_allocating(tmp_path):
    path = tmp_path / "ckpt.mg"
    mg.save({"a": np.arange(3.0)}, path)
    _rewrite_header(path, b'"shape": [3]', b'"shape": [99999999999999999999, 99999999999]')
    with pytest.raises(mg.CheckpointError, match="declares"):
        mg.load(path)


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "append"])
def test_damaged_files_are_refused(tmp_path, damage):
    path = tmp_path / "ckpt.mg"
    mg.save(example(), path)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "empty":
        data = b""
    else:
        data += b"junk"
    path.write_bytes(bytes(data))
    with pytest.raises(mg.CheckpointError, match="ckpt.mg: "):
        mg.load(path)


def test_exception_during_save_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.mg"
    mg.save({"version": 1}, path)
    before = path.read_bytes()

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match=f"could not save checkpoint to {path}.*No space left"):
        mg.save({"version": 2}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["ckpt.mg"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_checkpoint_gets_the_mode_of_a_normal_new_file(tmp_path, umask):
    previous = os.umask(umask)
    try:
        mg.save({"x": 1}, tmp_path / "a.mg")
        (tmp_path / "b.txt").write_text("")
    finally:
        os.umask(previous)
    assert (tmp_path / "a.mg").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (tmp_path / "a.mg").stat().st_mode == (tmp_path / "b.txt").stat().st_mode
