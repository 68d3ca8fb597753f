"""Random methods: draws into a tensor (``normal_``, ``uniform_``, ``bernoulli_``) and from it
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
        return self._inplace(numpy_generator(generator).normal(mean, std, self.shape))

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        """Fill with samples of U(a, b) (PyTorch calls the bounds ``from`` and ``to``)."""
        return self._inplace(numpy_generator(generator).uniform(a, b, self.shape))

    def bernoulli_(self, p=0.5, *, generator=None):
        """Fill with 1 where a U(0, 1) draw falls below p (a number or a tensor), else 0."""
        chance = p.array if isinstance(p, Tensor) else np.asarray(p, dtype=np.float64)
        return self._inplace(F.bernoulli(np.broadcast_to(chance, self.shape).astype(np.float64),
                                         generator=generator).array)

    def bernoulli(self, *, generator=None):
        return F.bernoulli(self, generator=generator)

    def multinomial(self, num_samples, replacement=False, *, generator=None):
        return F.multinomial(self, num_samples, replacement, generator=generator)
