"""Downloads through the real code path, against a local HTTP server on 127.0.0.1."""
import functools
import gzip
import hashlib
import http.server
import os
import struct
import threading

import numpy as np
import pytest

from minigrad.data import MNIST, DownloadError, download_verified
from minigrad.data.mnist import Resource


def idx_gz(array):
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    return gzip.compress(header + array.tobytes(), mtime=0)


def resource(name, data):
    content = gzip.decompress(data)
    return Resource(name, hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest(),
                    hashlib.sha256(content).hexdigest())


RNG = np.random.default_rng(0)
FILES = {"train-images-idx3-ubyte.gz": idx_gz(RNG.integers(0, 256, (30, 28, 28), dtype=np.uint8)),
         "train-labels-idx1-ubyte.gz": idx_gz(RNG.integers(0, 10, 30, dtype=np.uint8)),
         "t10k-images-idx3-ubyte.gz": idx_gz(RNG.integers(0, 256, (7, 28, 28), dtype=np.uint8)),
         "t10k-labels-idx1-ubyte.gz": idx_gz(RNG.integers(0, 10, 7, dtype=np.uint8))}


class TinyMNIST(MNIST):
    """MNIST's code with small synthetic files (and their checksums)."""
    resources = {"train": (resource("train-images-idx3-ubyte.gz", FILES["train-images-idx3-ubyte.gz"]),
                           resource("train-labels-idx1-ubyte.gz", FILES["train-labels-idx1-ubyte.gz"])),
                 "test": (resource("t10k-images-idx3-ubyte.gz", FILES["t10k-images-idx3-ubyte.gz"]),
                          resource("t10k-labels-idx1-ubyte.gz", FILES["t10k-labels-idx1-ubyte.gz"]))}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """Mirrors under one local server: good/, truncated/, corrupt/ and empty/ (404s)."""
    served = tmp_path / "served"
    for kind in ("good", "truncated", "corrupt", "empty"):
        (served / kind).mkdir(parents=True)
    for name, data in FILES.items():
        (served / "good" / name).write_bytes(data)
        (served / "truncated" / name).write_bytes(data[: len(data) // 2])
        (served / "corrupt" / name).write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    handler = functools.partial(QuietHandler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield lambda kind: f"http://127.0.0.1:{httpd.server_address[1]}/{kind}/"
    httpd.shutdown()
    httpd.server_close()


def test_download_from_a_good_mirror(tmp_path, server):
    data = TinyMNIST(root=tmp_path / "root", mirrors=[server("good")], progress=False)
    assert len(data) == 30 and data.data.shape == (30, 28, 28)
    assert sorted(os.listdir(tmp_path / "root" / "mnist")) == ["train-images-idx3-ubyte.gz",
                                                                "train-labels-idx1-ubyte.gz"]


@pytest.mark.parametrize("bad", ["empty", "truncated", "corrupt"])
def test_falls_back_to_the_next_mirror(tmp_path, server, bad):
    data = TinyMNIST(root=tmp_path, train=False, mirrors=[server(bad), server("good")], progress=False)
    assert len(data) == 7
    assert not any(name.endswith(".part") for name in os.listdir(tmp_path / "mnist"))


@pytest.mark.parametrize("bad", ["empty", "truncated", "corrupt"])
def test_a_failed_download_leaves_nothing_behind(tmp_path, server, bad):
    with pytest.raises(DownloadError, match="could not download t10k-images") as info:
        download_verified("t10k-images-idx3-ubyte.gz", tmp_path / "d", [server(bad)],
                          TinyMNIST.resources["test"][0].md5, progress=False)
    assert not (tmp_path / "d").exists()  # neither a .part file nor an empty folder
    assert server(bad) in str(info.value)


def test_a_failed_download_leaves_no_empty_folders_under_the_data_root(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path / "data"))
    with pytest.raises(FileNotFoundError) as info:
        TinyMNIST(mirrors=["http://127.0.0.1:9/"], progress=False)
    assert os.listdir(tmp_path) == []
    # The download was allowed and tried: the advice says why it failed, not "allow it".
    message = str(info.value)
    assert "the download failed (http://127.0.0.1:9/train-images-idx3-ubyte.gz: " in message
    assert message.endswith("or check the network and try again.")
    assert "allow the download" not in message


def test_the_reason_of_a_failed_download_in_one_line():
    same = DownloadError("x", [("http://a/", OSError("no route")), ("http://b/", "no route")])
    assert same.why() == "every mirror (2) failed: no route"
    different = DownloadError("x", [("http://a/", "timed out"), ("http://b/", "HTTP 404\n")])
    assert different.why() == "http://a/: timed out; http://b/: HTTP 404"
    assert DownloadError("x").why() == "no mirror to download from"


def overwrite_four_bytes(path):
    data = bytearray(path.read_bytes())
    data[100:104] = b"\0\0\0\0"  # inside the compressed stream: zlib fails to inflate it
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [overwrite_four_bytes,
                                    lambda path: path.write_bytes(path.read_bytes()[:120])])
def test_a_damaged_or_truncated_cache_is_fetched_again_or_named_as_corrupted(tmp_path, server,
                                                                            damage):
    name = "t10k-images-idx3-ubyte.gz"
    TinyMNIST(root=tmp_path, train=False, mirrors=[server("good")], progress=False)
    cached = tmp_path / "mnist" / name
    damage(cached)
    with pytest.raises(FileNotFoundError, match=rf"{name} is corrupted \(truncated or damaged"):
        TinyMNIST(root=tmp_path, train=False, download=False)
    with pytest.raises(FileNotFoundError, match=r"is corrupted .*and the download failed"):
        TinyMNIST(root=tmp_path, train=False, mirrors=["http://127.0.0.1:9/"], progress=False)
    assert len(TinyMNIST(root=tmp_path, train=False, mirrors=[server("good")], progress=False)) == 7
    assert cached.read_bytes() == FILES[name]


def test_fashion_mnist_error_names_the_debian_package(tmp_path):
    from minigrad.data import FashionMNIST
    with pytest.raises(FileNotFoundError, match="apt-get install dataset-fashion-mnist"):
        FashionMNIST(root=tmp_path, download=False)


def test_corrupted_cache_is_detected_and_fetched_again(tmp_path, server):
    TinyMNIST(root=tmp_path, mirrors=[server("good")], progress=False)
    cached = tmp_path / "mnist" / "train-labels-idx1-ubyte.gz"
    cached.write_bytes(b"garbage")
    data = TinyMNIST(root=tmp_path, mirrors=[server("good")], progress=False)
    assert len(data.targets) == 30 and cached.read_bytes() == FILES["train-labels-idx1-ubyte.gz"]


def test_no_network_and_no_files_says_where_it_looked(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        TinyMNIST(root=tmp_path, mirrors=["http://127.0.0.1:9/"], progress=False)
    message = str(info.value)
    assert str(tmp_path / "mnist") in message and "train-images-idx3-ubyte.gz" in message
    assert "MINIGRAD_DATA" in message and "http://127.0.0.1:9/" in message
    with pytest.raises(FileNotFoundError, match="is missing and download=False"):
        TinyMNIST(root=tmp_path, download=False)


def test_recompressed_copy_is_accepted_by_its_content(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name, data in FILES.items():
        (folder / name).write_bytes(gzip.compress(gzip.decompress(data), mtime=12345))
    assert len(TinyMNIST(root=tmp_path, download=False)) == 30


def test_root_resolution(tmp_path, monkeypatch):
    from minigrad.data import data_root
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path))
    assert data_root() == str(tmp_path) and data_root("/elsewhere") == "/elsewhere"
    monkeypatch.delenv("MINIGRAD_DATA")
    assert data_root() == os.path.join(os.path.expanduser("~"), ".cache", "minigrad")


def test_inconsistent_files_are_refused(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    images = idx_gz(np.zeros((5, 28, 28), np.uint8))
    labels = idx_gz(np.array([0, 1, 2, 3, 12], np.uint8))

    class Mismatched(MNIST):
        resources = {"train": (resource("train-images-idx3-ubyte.gz", images),
                               resource("train-labels-idx1-ubyte.gz", labels))}

    (folder / "train-images-idx3-ubyte.gz").write_bytes(images)
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(labels)
    with pytest.raises(ValueError, match=r"labels must be in 0..9; found 0..12"):
        Mismatched(root=tmp_path, download=False)


@pytest.mark.parametrize("notebook, progress, disable", [
    (True, None, False),    # a notebook: a widget bar, though the kernel's stream is no TTY
    (False, None, None),    # elsewhere: tqdm's own rule, a bar only on a terminal
    (True, False, True),
])
def test_the_download_bar_is_shown_in_a_notebook(tmp_path, server, monkeypatch, notebook,
                                                 progress, disable):
    import tqdm.auto

    from minigrad import _display
    monkeypatch.setattr(_display, "in_notebook", lambda: notebook)
    bars = []

    class Bar(tqdm.auto.tqdm):
        def __init__(self, *args, **kwargs):
            bars.append(kwargs["disable"])
            super().__init__(*args, **{**kwargs, "disable": True})

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)  # the class tqdm.auto picked for this shell
    TinyMNIST(root=tmp_path / "root", mirrors=[server("good")], progress=progress)
    assert bars == [disable, disable]  # one bar per file
