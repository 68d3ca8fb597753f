"""``minigrad.data``: datasets, batching, MNIST loading, text, transforms and toy data sets."""
from . import transforms
from .dataloader import DataLoader
from .sampler import DistributedSampler
from .dataset import Dataset, Subset, TensorDataset, random_split
from .download import DownloadError, download_verified
from .idx import IDXError, read_idx
from .mnist import MNIST, FashionMNIST, data_root
from .text import CharText, CharWords, Vocabulary, corpus_path
from .toy import make_blobs, make_circles, make_moons, make_sine, make_spirals, make_xor

__all__ = ["CharText", "CharWords", "DataLoader", "Dataset", "DistributedSampler", "DownloadError", "FashionMNIST",
           "IDXError", "MNIST", "Subset", "TensorDataset", "data_root", "download_verified",
           "random_split", "read_idx", "transforms", "Vocabulary", "corpus_path",
           "make_blobs", "make_circles", "make_moons", "make_sine", "make_spirals", "make_xor"]
