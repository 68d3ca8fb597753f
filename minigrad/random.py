"""The one framework-wide random generator.

Every random operation in minigrad (initialisers, dropout, shuffling, ``randn``) draws from
``generator()``, so ``manual_seed`` makes a whole run reproducible and ``get_rng_state`` /
``set_rng_state`` let a checkpoint resume the exact random stream.
"""
import numpy as np

_initial_seed = int(np.random.SeedSequence().entropy % 2 ** 63)  # fresh each process
_state = {"generator": np.random.default_rng(_initial_seed), "seed": _initial_seed}


def generator() -> np.random.Generator:
    return _state["generator"]


def manual_seed(seed: int):
    """Re-seed the framework's generator (a NumPy PCG64 ``Generator``). Returns
    ``default_generator``, the framework's stream as a ``Generator``, as PyTorch returns its
    default generator (``torch.manual_seed(0).initial_seed() == 0``)."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"manual_seed expects a non-negative integer; got {seed!r}")
    _state["generator"] = np.random.default_rng(int(seed))
    _state["seed"] = int(seed)
    return default_generator


def get_rng_state() -> dict:
    """The generator's full state, a plain dict that ``minigrad.save`` can store."""
    return _state["generator"].bit_generator.state


def set_rng_state(state: dict) -> None:
    bit_generator = getattr(np.random, state["bit_generator"])()
    bit_generator.state = state
    _state["generator"] = np.random.Generator(bit_generator)


class Generator:
    """PyTorch's ``torch.Generator``: a random stream of its own. Every random function takes
    one as ``generator=`` (``randn``, ``rand``, ``randint``, ``randperm``, ``multinomial``,
    ``bernoulli``, ``normal``, ``Tensor.normal_``/``uniform_``/``bernoulli_``, ``nn.init``,
    ``random_split``); seeded, its draws are reproducible whatever the global seed:
    ``minigrad.randn(3, generator=Generator().manual_seed(42))``. Inside is a NumPy PCG64
    ``Generator``; the draws minigrad needs are forwarded to it."""

    def __init__(self, device="cpu"):
        self._seed = int(np.random.SeedSequence().entropy % 2 ** 63)
        self._rng = np.random.default_rng(self._seed)
        self.device = device

    def manual_seed(self, seed: int):
        """Restart the stream from ``seed``; returns the generator, as PyTorch does."""
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f"manual_seed expects an integer seed; got {seed!r}")
        # PyTorch accepts negative seeds (taken modulo 2^64); so do we.
        self._seed = int(seed) % 2 ** 64
        self._rng = np.random.default_rng(self._seed)
        return self

    def seed(self) -> int:
        """Re-seed from fresh entropy and return the new seed."""
        self.manual_seed(int(np.random.SeedSequence().entropy % 2 ** 63))
        return self._seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> dict:
        """The stream's full state (a plain dict, which ``minigrad.save`` can store)."""
        return self._rng.bit_generator.state

    def set_state(self, state: dict):
        self._rng.bit_generator.state = state
        return self

    def permutation(self, n):
        return self._rng.permutation(n)

    def integers(self, *args, **kwargs):
        return self._rng.integers(*args, **kwargs)

    def random(self, *args, **kwargs):
        return self._rng.random(*args, **kwargs)

    def standard_normal(self, *args, **kwargs):
        return self._rng.standard_normal(*args, **kwargs)

    def uniform(self, *args, **kwargs):
        return self._rng.uniform(*args, **kwargs)

    def normal(self, *args, **kwargs):
        return self._rng.normal(*args, **kwargs)


class _FrameworkGenerator(Generator):
    """The framework's own stream seen as a ``Generator`` (PyTorch's ``default_generator``):
    it draws from, and re-seeds, the stream every random operation uses by default."""

    def __init__(self):
        self.device = "cpu"

    @property
    def _rng(self):
        return _state["generator"]

    @_rng.setter
    def _rng(self, rng):
        _state["generator"] = rng

    @property
    def _seed(self):
        return _state["seed"]

    @_seed.setter
    def _seed(self, seed):
        _state["seed"] = seed


default_generator = _FrameworkGenerator()


def numpy_generator(generator=None):
    """The NumPy generator to draw from: the given ``Generator``'s (or a NumPy Generator
    as is), else the framework's."""
    if generator is None:
        return _state["generator"]
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"generator must be a minigrad.Generator; got {type(generator).__name__}")
