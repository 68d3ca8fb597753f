"""Composite tensor operations: built from the primitives in ``minigrad.ops``, so they need
no backward of their own; the chain rule through their parts is their gradient.

One module per concept: ``pointwise`` (arithmetic, elementwise, clamp, where),
``reductions`` (mean, var, std, max/min), ``softmax`` (logsumexp, log_softmax, softmax) and
``shape`` (transpose, squeeze, broadcast, gather, cat/stack, pad, norm), ``masking``
(tril, triu, masked_fill), ``splitting`` (split, chunk, index_select, repeat), ``sorting``
(sort, argsort, topk), ``cumulative`` (cumsum, cumprod, scatter, scatter_add), ``einsum`` and
``sampling`` (multinomial, bernoulli, normal). Every name is re-exported here, so
``minigrad.functional.X`` is the one address.
"""
from __future__ import annotations

from .pointwise import (add, clamp, clone, compare, div, exp, log, matmul, maximum, minimum, mul,
                        relu, sigmoid, sqrt, tanh, where)  # noqa: F401
from .reductions import argmax, argmin, max, mean, min, std, values_indices, var  # noqa: F401
from .unique import unique  # noqa: F401
from .softmax import log_softmax, logsumexp, softmax  # noqa: F401
from .shape import (broadcast_to, cat, expand, flatten, gather, norm, pad, squeeze, stack,
                    transpose, unsqueeze)  # noqa: F401
from .masking import masked_fill, masked_fill_, tril, triu  # noqa: F401
from .splitting import chunk, index_select, repeat, split  # noqa: F401
from .sorting import argsort, sort, topk  # noqa: F401
from .cumulative import cumprod, cumsum, scatter, scatter_add  # noqa: F401
from .einsum import einsum  # noqa: F401
from .sampling import bernoulli, multinomial, normal  # noqa: F401
