"""``minigrad.data``: datasets, batching, MNIST loading and transforms."""
from . import transforms
from .dataloader import DataLoader
from .dataset import Dataset, Subset, TensorDataset, random_split
from .download import DownloadError, download_verified
from .idx import IDXError, read_idx
from .mnist import MNIST, FashionMNIST, data_root

__all__ = ["DataLoader", "Dataset", "DownloadError", "FashionMNIST", "IDXError", "MNIST", "Subset",
           "TensorDataset", "data_root", "download_verified", "random_split", "read_idx",
           "transforms"]
