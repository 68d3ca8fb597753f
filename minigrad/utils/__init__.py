"""PyTorch's ``torch.utils`` namespace: ``minigrad.utils.data`` holds the DataLoader, data sets
and samplers (``import minigrad.utils.data`` works, as ``import torch.utils.data`` does);
``minigrad.utils.tensorboard`` the SummaryWriter (imported on demand, as in PyTorch: it needs
the optional tensorboardX)."""
from . import data  # noqa: F401
