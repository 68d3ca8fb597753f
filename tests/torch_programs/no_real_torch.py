"""Imports everything `minigrad run` maps, then reports whether any real PyTorch module was
loaded: every torch module must be minigrad's stand-in."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torch.utils.data
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, transforms

import minigrad

print("torch version", torch.__version__)
assert torch.Tensor is minigrad.Tensor and nn.Linear is minigrad.nn.Linear
assert F.relu is minigrad.nn.functional.relu and optim.Adam is minigrad.optim.Adam
assert DataLoader is minigrad.data.DataLoader and datasets.MNIST.__module__ == "minigrad.data.vision"
real = sorted(name for name, module in sys.modules.items()
              if name.split(".")[0].startswith("torch") and getattr(module, "__file__", None))
print("real torch modules loaded:", real)
assert not real
try:
    torch.jit
except AttributeError as error:
    print(error)
try:
    import torch.distributed  # noqa: F401
except ImportError as error:
    print(error)
print("no real torch: OK")
