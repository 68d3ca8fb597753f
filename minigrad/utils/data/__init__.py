"""``minigrad.utils.data``: PyTorch's ``torch.utils.data``: data sets, the DataLoader, samplers.

The data sets themselves (MNIST, the toy sets, text) live in ``minigrad.data``, as torchvision's
do beside torch; ``minigrad.data`` re-exports these names too, so both spellings work.
"""
from .collate import default_collate
from .dataloader import DataLoader
from .dataset import Dataset, Subset, TensorDataset, random_split
from .distributed import DistributedSampler, shard_loader, worker_loader

__all__ = ["DataLoader", "Dataset", "DistributedSampler", "Subset", "TensorDataset",
           "default_collate", "random_split", "shard_loader", "worker_loader"]
