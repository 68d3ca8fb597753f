"""Random methods: draws into a tensor (``normal_``, ``uniform_``, ``bernoulli_``,
``exponential_``, ``random_``, ...; in place, see ``inplace.py``) and from it
(``bernoulli``, ``multinomial``). Each takes PyTorch's keyword ``generator=``; the sampling
itself lives in ``minigrad.functional.sampling``."""
from __future__ import annotations

import numpy as np

from ..random import numpy_generator

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


class SamplingMethods:
    __slots__ = ()

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with samples of N(mean, std^2)."""
        return self._overwrite(numpy_generator(generator).normal(mean, std, self.shape))

    def uniform_(self, a=0.0, b=1.0, *, generator=None, **bounds):
        """Fill with samples of U(a, b); PyTorch calls the bounds ``from`` and ``to`` (``from``
        is reachable only as ``**{"from": a}``)."""
        a, b = bounds.pop("from", a), bounds.pop("to", b)
        if bounds:
            raise TypeError(f"uniform_() got an unexpected keyword argument {next(iter(bounds))!r}")
        return self._overwrite(numpy_generator(generator).uniform(a, b, self.shape))

    def bernoulli_(self, p=0.5, *, generator=None):
        """Fill with 1 where a U(0, 1) draw falls below p (a number or a tensor), else 0."""
        chance = p.array if isinstance(p, Tensor) else np.asarray(p, dtype=np.float64)
        return self._overwrite(F.bernoulli(np.broadcast_to(chance, self.shape).astype(np.float64),
                                           generator=generator).array)

    def exponential_(self, lambd=1.0, *, generator=None):
        """Fill with samples of density lambd e^(-lambd x)."""
        return self._overwrite(numpy_generator(generator).exponential(1.0 / lambd, self.shape))

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        """Fill with e^N(mean, std^2)."""
        return self._overwrite(numpy_generator(generator).lognormal(mean, std, self.shape))

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        """Fill with samples of the Cauchy distribution (median, scale sigma)."""
        draws = numpy_generator(generator).standard_cauchy(self.shape)
        return self._overwrite(median + sigma * draws)

    def geometric_(self, p, *, generator=None):
        """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
        return self._overwrite(numpy_generator(generator).geometric(p, self.shape))

    def random_(self, *bounds, generator=None, **names):
        """Fill with integers uniform in [from, to - 1]: ``random_(to)`` or ``random_(from,
        to)``; without bounds [0, 2^mantissa bits] for a float tensor, as PyTorch."""
        low, high = (0, bounds[0]) if len(bounds) == 1 else (bounds + (0, None))[:2]
        low, high = names.pop("from", low), names.pop("to", high)
        if names:
            raise TypeError(f"random_() got an unexpected keyword argument {next(iter(names))!r}")
        if high is None:
            high = 2 ** (np.finfo(self.dtype).nmant + 1) + 1 if self.dtype.kind == "f" else \
                np.iinfo(self.dtype).max if self.dtype.kind in "iu" else 2
        return self._overwrite(numpy_generator(generator).integers(low, high, self.shape))

    def bernoulli(self, *, generator=None):
        return F.bernoulli(self, generator=generator)

    def multinomial(self, num_samples, replacement=False, *, generator=None):
        return F.multinomial(self, num_samples, replacement, generator=generator)
