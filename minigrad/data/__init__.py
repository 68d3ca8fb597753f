"""``minigrad.data``: the data sets (MNIST, Fashion-MNIST, character-level text, toy sets),
their transforms and verified downloads, as torchvision's datasets and transforms. The batching
machinery (DataLoader, Dataset, samplers) is ``minigrad.utils.data``, as in PyTorch; its names
are re-exported here."""
from . import transforms
from ..utils.data import (DataLoader, Dataset, DistributedSampler, Subset, TensorDataset,
                          random_split)
from .download import DownloadError, download_verified
from .idx import IDXError, read_idx
from .mnist import MNIST, FashionMNIST, data_root
from .text import CharText, CharWords, Vocabulary, corpus_path
from .toy import make_blobs, make_circles, make_moons, make_sine, make_spirals, make_xor

__all__ = ["CharText", "CharWords", "DataLoader", "Dataset", "DistributedSampler",
           "DownloadError", "FashionMNIST", "IDXError", "MNIST", "Subset", "TensorDataset", "data_root", "download_verified",
           "random_split", "read_idx", "transforms", "Vocabulary", "corpus_path",
           "make_blobs", "make_circles", "make_moons", "make_sine", "make_spirals", "make_xor"]
