"""PyTorch's ``torch.utils`` namespace: ``minigrad.utils.data`` is ``minigrad.data``, so that
``import minigrad as torch`` gives ``torch.utils.data.DataLoader`` too."""
from . import data  # noqa: F401
