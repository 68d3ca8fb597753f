"""Scaled dot-product attention (Vaswani et al., 2017), a composition of primitives."""
import math

import numpy as np

from ...functional.softmax import _finite_max
from ...ops._common import constant
from ...static.hooks import kernel
from ...tensor import Tensor
from .basic import dropout


def _additive_mask(attn_mask, dtype):
    """A bool mask (True = takes part) as 0 / -inf to add to the scores; a float mask as is."""
    if attn_mask.dtype == np.bool_:
        return constant(kernel(_bool_to_additive, attn_mask.array, dtype))
    return attn_mask if attn_mask.dtype == dtype else attn_mask.astype(dtype)


def _bool_to_additive(mask, dtype):
    return np.where(mask, 0.0, -np.inf).astype(dtype)


def _causal_mask(length, source_length, dtype):
    """0 where key j <= query i, else -inf: the lower triangle aligned to the top left
    corner, as PyTorch's tril(ones(L, S)) even when L != S."""
    return np.where(np.tri(length, source_length, dtype=bool), 0.0, -np.inf).astype(dtype)


def _empty_rows(total):
    # 1 where a row had no key to attend to (every score -inf): dividing its zeros by 1
    # instead of 0 gives the zero output (and zero gradient) PyTorch gives such rows.
    return (total == 0).astype(total.dtype)


def masked_softmax(scores: Tensor) -> Tensor:
    """softmax over the last dimension where a row whose scores are all -inf becomes zeros
    (plain softmax would give 0/0 = nan there). The maximum is replaced by 0 where it is
    not finite, so -inf - -inf never occurs."""
    shifted = scores - constant(kernel(_finite_max, scores.array, -1))
    weights = shifted.exp()
    total = weights.sum(-1, keepdim=True)
    return weights / (total + constant(kernel(_empty_rows, total.array)))


def _repeat_heads(x: Tensor, repeats: int) -> Tensor:
    """Each head of (..., H, S, E) repeated ``repeats`` times in place: head h serves query
    heads h * repeats ... (h + 1) * repeats - 1 (PyTorch's repeat_interleave)."""
    heads = np.repeat(np.arange(x.shape[-3]), repeats)
    return x[(Ellipsis, heads, slice(None), slice(None))]


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False) -> Tensor:
    """softmax(Q K^T * scale + M) V with Q (..., L, E), K (..., S, E), V (..., S, Ev) and
    the batch dimensions broadcast; scale = 1 / sqrt(E) by default.

    M: a bool ``attn_mask`` (True = takes part, i.e. 0, else -inf), a float one added as is,
    or ``is_causal`` (query i sees keys j <= i, the top-left aligned lower triangle, also for
    L != S). A row with no key to attend to gives zeros, as PyTorch does. ``dropout_p``
    zeroes attention weights (always: the functional form has no eval mode).
    ``enable_gqa``: K and V may have fewer heads (dimension -3) than Q, each shared by
    H_q / H_kv consecutive query heads.
    """
    if query.ndim < 2 or key.ndim < 2 or value.ndim < 2:
        raise ValueError(f"scaled_dot_product_attention needs query, key and value of at least "
                         f"2 dimensions (..., L, E); got {query.shape}, {key.shape}, {value.shape}")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(f"scaled_dot_product_attention: query (..., L, E) {query.shape}, key "
                         f"(..., S, E) {key.shape} and value (..., S, Ev) {value.shape} do not "
                         "agree on E or S")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        if key.shape[-3] != value.shape[-3] or query.shape[-3] % key.shape[-3]:
            raise ValueError(f"enable_gqa: the query's {query.shape[-3]} heads must be a "
                             f"multiple of the key's {key.shape[-3]} and the value's "
                             f"{value.shape[-3]} heads")
        repeats = query.shape[-3] // key.shape[-3]
        key, value = _repeat_heads(key, repeats), _repeat_heads(value, repeats)
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = (query * scale) @ key.transpose(-2, -1)
    if is_causal:
        scores = scores + constant(kernel(_causal_mask, query.shape[-2], key.shape[-2],
                                          scores.dtype))
    elif attn_mask is not None:
        scores = scores + _additive_mask(attn_mask, scores.dtype)
    # Only an explicit mask can leave a query with no key (a causal row always has key 0).
    weights = masked_softmax(scores) if attn_mask is not None else scores.softmax(-1)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, training=True)
    return weights @ value
