"""torchvision's ``datasets.MNIST`` and ``FashionMNIST``: same arguments, same samples.

``MNIST(root, train=True, transform=None, target_transform=None, download=False)`` looks for
the four IDX files (gzipped or not) where torchvision keeps them, ``root/MNIST/raw/``, then in
minigrad's own layout (``root/mnist/`` and ``$MINIGRAD_DATA/mnist/``); every file is verified
against its known checksum before use. With ``download=True`` a missing file is fetched from
the public mirrors into ``root/MNIST/raw/``.

``dataset[i]`` is ``(transform(image), target)`` with a uint8 28 x 28 image and an int target,
as torchvision gives (a uint8 array stands in for torchvision's PIL image). As in torchvision,
``dataset.data`` (a uint8 Tensor, N x 28 x 28) and ``dataset.targets`` (an int64 Tensor) *are*
the data set: ``len`` and indexing read them, so a program that assigns
``ds.data, ds.targets = ds.data[:4000], ds.targets[:4000]`` (or a boolean-mask selection)
trains on exactly those samples. A DataLoader
fetches whole batches in one vectorised step when the transform allows it (see
``vision_transforms``) and falls back to one sample at a time otherwise.
"""
from __future__ import annotations

import hashlib
import os

import numpy as np

from ..tensor import Tensor
from . import mnist
from ..utils.data.dataset import Dataset
from .download import DownloadError, download_verified
from .idx import read_idx


def _raw_content_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class DatasetNotFoundError(RuntimeError):
    """The data set's files are not where it looked, and were not (or could not be)
    downloaded. A RuntimeError, as torchvision raises; ``minigrad run`` shows it as one line."""


def _array(value) -> np.ndarray:
    """The NumPy array of a Tensor (or of an array or list a program assigned instead)."""
    return value.array if isinstance(value, Tensor) else np.asarray(value)


class MNIST(Dataset):
    """The MNIST digits, torchvision's way: 60,000 training or 10,000 test images."""

    base = mnist.MNIST  # the file names, checksums, mirrors and classes
    folder = "MNIST"

    def __init__(self, root, train: bool = True, transform=None, target_transform=None,
                 download: bool = False):
        self.root, self.train = os.fspath(root), train
        self.transform, self.target_transform = transform, target_transform
        self.raw_folder = os.path.join(self.root, self.folder, "raw")
        self.classes = list(self.base.classes)
        images, labels = self.base.resources["train" if train else "test"]
        self.data = Tensor(read_idx(self._find(images, download)))
        self.targets = Tensor(read_idx(self._find(labels, download)).astype(np.int64))

    def _find(self, resource, download) -> str:
        plain = resource.name[:-len(".gz")]
        places = [self.raw_folder, os.path.join(self.root, self.base.folder),
                  os.path.join(mnist.data_root(), self.base.folder), *self.base.system_directories]
        for directory in places:
            path = os.path.join(directory, resource.name)
            if mnist.is_genuine(path, resource):
                return path
            path = os.path.join(directory, plain)  # torchvision also keeps the files unzipped
            if os.path.isfile(path) and _raw_content_sha256(path) == resource.content_sha256:
                return path
        missing = (f"Dataset not found: {type(self).__name__}: {resource.name} (or {plain}) is "
                   "in none of " + ", ".join(places))
        # The advice fits what was passed: download=True was tried and failed, so say why
        # and how to use files already on disk; download=False only needs the switch.
        supply = (f"point root at a folder whose {self.folder}/raw/ holds the files, or set "
                  f"MINIGRAD_DATA to a folder whose {self.base.folder}/ holds them")
        if not download:
            raise DatasetNotFoundError(f"{missing}. Use download=True to download it, or "
                                       f"{supply}.")
        try:
            return download_verified(resource.name, self.raw_folder, self.base.mirrors,
                                     resource.md5, resource.sha256)
        except DownloadError as error:
            raise DatasetNotFoundError(f"{missing}, and download=True could not fetch it "
                                       f"({error.why()}). Check the network, or {supply}."
                                       ) from None

    # ``data`` and ``targets`` are read at every access (not copied at construction), because
    # programs replace them after construction; the NumPy arrays are reached without a copy.
    @property
    def _images(self) -> np.ndarray:
        return _array(self.data)

    @property
    def _targets(self) -> np.ndarray:
        return _array(self.targets)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        image, target = self._images[index], int(self._targets[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def __getitems__(self, indices):
        if self.target_transform is None and (
                self.transform is None or getattr(self.transform, "batchable", False)):
            images = self._images[indices]
            return (images if self.transform is None else self.transform.batch(images),
                    self._targets[indices])
        samples = [self[int(i)] for i in indices]
        return tuple(np.stack([np.asarray(s[k]) for s in samples]) for k in range(2))

    def __repr__(self):
        split = "Train" if self.train else "Test"
        return (f"Dataset {type(self).__name__}\n    Number of datapoints: {len(self)}\n"
                f"    Root location: {self.root}\n    Split: {split}")


class FashionMNIST(MNIST):
    """Fashion-MNIST, torchvision's way (``root/FashionMNIST/raw/``)."""

    base = mnist.FashionMNIST
    folder = "FashionMNIST"
