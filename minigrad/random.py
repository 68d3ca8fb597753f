"""The one framework-wide random generator.

Every random operation in minigrad (initialisers, dropout, shuffling, ``randn``) draws from
``generator()``, so ``manual_seed`` makes a whole run reproducible and ``get_rng_state`` /
``set_rng_state`` let a checkpoint resume the exact random stream.
"""
import numpy as np

_state = {"generator": np.random.default_rng()}


def generator() -> np.random.Generator:
    return _state["generator"]


def manual_seed(seed: int) -> np.random.Generator:
    """Re-seed the framework's generator (a NumPy PCG64 ``Generator``)."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"manual_seed expects a non-negative integer; got {seed!r}")
    _state["generator"] = np.random.default_rng(int(seed))
    return _state["generator"]


def get_rng_state() -> dict:
    """The generator's full state, a plain dict that ``minigrad.save`` can store."""
    return _state["generator"].bit_generator.state


def set_rng_state(state: dict) -> None:
    bit_generator = getattr(np.random, state["bit_generator"])()
    bit_generator.state = state
    _state["generator"] = np.random.Generator(bit_generator)


class Generator:
    """PyTorch's ``torch.Generator``: a random stream of its own, e.g. for a reproducible
    ``random_split(dataset, [0.8, 0.2], generator=Generator().manual_seed(42))``. Inside is
    a NumPy PCG64 ``Generator``; the draws minigrad needs are forwarded to it."""

    def __init__(self, device="cpu"):
        self._rng = np.random.default_rng()

    def manual_seed(self, seed: int):
        self._rng = np.random.default_rng(seed)
        return self

    def permutation(self, n):
        return self._rng.permutation(n)

    def integers(self, *args, **kwargs):
        return self._rng.integers(*args, **kwargs)

    def random(self, *args, **kwargs):
        return self._rng.random(*args, **kwargs)

    def standard_normal(self, *args, **kwargs):
        return self._rng.standard_normal(*args, **kwargs)
