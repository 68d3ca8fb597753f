"""MNIST and Fashion-MNIST: found in the cache (or Debian's package), else downloaded from
public mirrors, always verified against known checksums before use."""
from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from typing import NamedTuple

import numpy as np

from ..utils.data.dataset import Dataset
from .download import DownloadError, download_verified, is_verified
from .idx import IDXError, read_idx


class Resource(NamedTuple):
    """One file: its name, the MD5 every mirror lists, the SHA-256 of the same gzipped file,
    and the SHA-256 of its decompressed content (which also identifies a re-compressed copy,
    such as Debian's)."""
    name: str
    md5: str
    sha256: str
    content_sha256: str


def _content_sha256(path) -> str:
    digest = hashlib.sha256()
    with gzip.open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_genuine(path, resource: Resource) -> bool:
    """True if the file at ``path`` is the resource: the exact file, or its exact content."""
    if is_verified(path, resource.md5, resource.sha256):
        return True
    if not os.path.isfile(path):
        return False
    try:
        return _content_sha256(path) == resource.content_sha256
    except (OSError, EOFError, zlib.error):  # not gzip, truncated, or damaged inside
        return False


def data_root(root=None) -> str:
    """The data root: ``root``, else $MINIGRAD_DATA, else ~/.cache/minigrad."""
    if root is not None:
        return os.fspath(root)
    return os.environ.get("MINIGRAD_DATA") or os.path.join(os.path.expanduser("~"), ".cache",
                                                           "minigrad")


class MNIST(Dataset):
    """The MNIST digits (LeCun, Cortes & Burges): 60,000 training and 10,000 test images of
    28 x 28 uint8 pixels, labels 0-9, from ``<root>/mnist/``.

    ``dataset[i]`` is ``(transform(image), label)``; ``dataset.data`` and ``dataset.targets``
    hold all of them. ``transform`` receives whole batches when a DataLoader fetches.
    """
    folder = "mnist"
    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/",
               "https://storage.googleapis.com/cvdf-datasets/mnist/",
               "http://yann.lecun.com/exdb/mnist/"]
    system_directories: tuple = ()
    system_package = None  # a Debian package that installs the files there
    resources = {
        "train": (Resource("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                           "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                           "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                  Resource("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                           "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                           "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5")),
        "test": (Resource("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                          "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                          "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                 Resource("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c",
                          "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                          "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
    }
    classes = [str(i) for i in range(10)]
    image_shape = (28, 28)

    def __init__(self, root=None, train: bool = True, download: bool = True, transform=None,
                 mirrors=None, progress=None):
        self.root = data_root(root)
        self.directory = os.path.join(self.root, self.folder)
        self.train, self.transform = train, transform
        self.mirrors = list(self.mirrors if mirrors is None else mirrors)
        images_resource, labels_resource = self.resources["train" if train else "test"]
        images_path = self._locate(images_resource, download, progress)
        labels_path = self._locate(labels_resource, download, progress)
        self.data, self.targets = self._load(images_path, labels_path)
        self.source = os.path.dirname(images_path)

    def _locate(self, resource: Resource, download, progress) -> str:
        name = resource.name
        cached = os.path.join(self.directory, name)
        for directory in (self.directory, *self.system_directories):
            path = os.path.join(directory, name)
            if is_genuine(path, resource):
                return path
        # A file that is present but fails its checksum is corrupted: fetch it again.
        problem = ("is corrupted (truncated or damaged: its checksum does not match)"
                   if os.path.exists(cached) else "is missing")
        if not download:
            raise FileNotFoundError(self._how_to_supply(name, f"{cached} {problem} and "
                                                              "download=False"))
        try:
            return download_verified(name, self.directory, self.mirrors, resource.md5,
                                     resource.sha256, progress=progress)
        except DownloadError as error:
            raise FileNotFoundError(self._how_to_supply(
                name, f"{cached} {problem}, and the download failed ({error.why()})",
                downloaded=True)) from None

    def _how_to_supply(self, name, reason, downloaded=False) -> str:
        places = [self.directory, *self.system_directories]
        return (f"{type(self).__name__}: {reason}\nLooked for {name} in: " + ", ".join(places)
                + f"\nTo supply the files, put the four official gzipped IDX files into "
                  f"{self.directory} (or set MINIGRAD_DATA to a folder whose '{self.folder}' "
                  "subfolder holds them)"
                + (f", install Debian's {self.system_package} package (apt-get install "
                   f"{self.system_package}), which puts them in {self.system_directories[0]}"
                   if self.system_package else "")
                + (", or check the network and try again." if downloaded
                   else ", or allow the download from a mirror (download=True)."))

    def _load(self, images_path, labels_path):
        images, labels = read_idx(images_path), read_idx(labels_path)
        if images.ndim != 3 or images.shape[1:] != self.image_shape or images.dtype != np.uint8:
            raise IDXError(f"{images_path}: expected uint8 images of shape (N, 28, 28); got "
                           f"{images.dtype} {images.shape}")
        if labels.ndim != 1 or len(labels) != len(images):
            raise IDXError(f"{labels_path}: {labels.shape[0] if labels.ndim else 0} labels for "
                           f"{len(images)} images in {images_path}")
        if labels.size and (labels.min() < 0 or labels.max() >= len(self.classes)):
            raise IDXError(f"{labels_path}: labels must be in 0..{len(self.classes) - 1}; found "
                           f"{labels.min()}..{labels.max()}")
        return images, labels.astype(np.int64)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        image = self.data[index]
        return (self.transform(image) if self.transform else image), self.targets[index]

    def __getitems__(self, indices):
        return self[indices]

    def __repr__(self):
        split = "train" if self.train else "test"
        return f"{type(self).__name__}({split}, {len(self)} images, from {self.source})"


class FashionMNIST(MNIST):
    """Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): MNIST's format and sizes, ten kinds of
    clothing. Found in ``<root>/fashion-mnist/`` or in Debian's dataset-fashion-mnist package."""
    folder = "fashion-mnist"
    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
               "https://ossci-datasets.s3.amazonaws.com/fashion-mnist/"]
    system_directories = ("/usr/share/datasets/fashion-mnist",)
    system_package = "dataset-fashion-mnist"
    # MD5s as the mirrors list them; the content hashes were computed from Debian's package.
    # No SHA-256 of the mirrors' gzipped files is known here, so the MD5 alone vets those.
    resources = {
        "train": (Resource("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", None,
                           "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                  Resource("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", None,
                           "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9")),
        "test": (Resource("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", None,
                          "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                 Resource("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310", None,
                          "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
    }
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
