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
