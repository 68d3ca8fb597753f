"""PyTorch's ``torch.utils`` namespace: ``minigrad.utils.data`` holds the DataLoader, data sets
and samplers (``import minigrad.utils.data`` works, as ``import torch.utils.data`` does)."""
from . import data  # noqa: F401
