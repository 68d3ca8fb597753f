"""``minigrad.nn.parallel``: data-parallel training (needs ``minigrad.distributed``)."""
from .distributed import DistributedDataParallel

__all__ = ["DistributedDataParallel"]
