"""Devices: minigrad computes on the CPU only, with PyTorch's device API around that fact.

``torch.device("cpu")``, ``tensor.device``, ``.to(device)``, ``device=`` on factories and
``set_default_device("cpu")`` all work; the accelerator checks the tutorials start with
(``cuda.is_available()``, ``backends.mps.is_available()``, ``accelerator.is_available()``)
answer "no"; asking to compute anywhere but the CPU is a clear error.
"""
from __future__ import annotations

from types import SimpleNamespace


class device:
    """PyTorch's ``torch.device``: a type ("cpu", "cuda", ...) and an optional index.

    Naming another device is allowed (so ``device("cuda" if ... else "cpu")`` runs); putting a
    tensor or module there raises."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if not isinstance(type, str):
            raise TypeError(f"device() expects a string such as 'cpu'; got {type!r}")
        if ":" in type:
            type, _, number = type.partition(":")
            index = int(number)
        self.type, self.index = type, index

    def __eq__(self, other):
        other = device(other) if isinstance(other, str) else other
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"


CPU = device("cpu")


def check_device(requested) -> device:
    """The CPU device for ``requested`` (None, "cpu", a cpu device); anything else is an error."""
    if requested is None:
        return CPU
    wanted = requested if isinstance(requested, device) else (
        device(requested) if isinstance(requested, str) else None)
    if wanted is None or wanted.type != "cpu":
        raise RuntimeError(f"device {str(wanted or requested)!r} is not supported by minigrad, "
                           "which runs on the CPU only (CUDA and MPS execution are out of its "
                           "scope)")
    return CPU


def set_default_device(requested) -> None:
    """Only the CPU can be the default device."""
    check_device(requested)


def get_default_device() -> device:
    return CPU


def _no() -> bool:
    return False


def _no_accelerator():
    return None


def _unsupported(*args, **kwargs):
    raise RuntimeError("CUDA is not supported by minigrad, which runs on the CPU only")


# The availability checks of torch.cuda, torch.backends.mps and torch.accelerator.
cuda = SimpleNamespace(is_available=_no, device_count=lambda: 0, current_device=_unsupported,
                       manual_seed=lambda seed: None, manual_seed_all=lambda seed: None,
                       synchronize=lambda device=None: None)
backends = SimpleNamespace(mps=SimpleNamespace(is_available=_no, is_built=_no),
                           cuda=SimpleNamespace(is_built=_no),
                           cudnn=SimpleNamespace(is_available=_no, deterministic=False,
                                                 benchmark=False))
accelerator = SimpleNamespace(is_available=_no, current_accelerator=_no_accelerator,
                              device_count=lambda: 0)
