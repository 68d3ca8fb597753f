"""Multi-head attention (Vaswani et al., 2017) with PyTorch's parameters and conventions."""
import math

import numpy as np

from ..functional import cat, pad
from ..ops._common import constant
from ..static.hooks import kernel
from ..tensor import Tensor
from . import functional as F, init
from ._factory import parameter_dtype
from .linear import Linear
from .module import Module
from .parameter import Parameter


class NonDynamicallyQuantizableLinear(Linear):
    """The output projection's class in PyTorch (a plain Linear); kept for the same repr."""


def _blocking_mask(mask, name, dtype):
    """A float mask to add to the scores: a bool one (True = may NOT attend, MultiheadAttention's
    convention, the opposite of scaled_dot_product_attention's) becomes -inf / 0."""
    if mask is None:
        return None
    if mask.dtype == np.bool_:
        return constant(kernel(_bool_blocking, mask.array, dtype))
    if mask.dtype.kind != "f":
        raise TypeError(f"MultiheadAttention: only bool and floating types of {name} are "
                        f"supported; got dtype {mask.dtype}")
    return mask if mask.dtype == dtype else mask.astype(dtype)


def _bool_blocking(mask, dtype):
    return np.where(mask, -np.inf, 0.0).astype(dtype)


class MultiheadAttention(Module):
    """out = concat(head_1, ..., head_H) W_o^T + b_o, head_h = softmax(Q_h K_h^T / sqrt(d) + M)
    V_h, with Q = query W_q^T + b_q (likewise K, V), d = embed_dim / num_heads.

    PyTorch's parameters: ``in_proj_weight`` (3E, E) stacking W_q, W_k, W_v (or separate
    ``q_proj_weight`` (E, E), ``k_proj_weight`` (E, kdim), ``v_proj_weight`` (E, vdim) when
    kdim or vdim differ from E), ``in_proj_bias`` (3E), ``out_proj`` a Linear(E, E), and with
    ``add_bias_kv`` ``bias_k``, ``bias_v`` (1, 1, E) appended to the keys and values. Init:
    xavier_uniform_ projections, zero biases, xavier_normal_ bias_k / bias_v; out_proj.weight
    keeps Linear's init. Inputs are (L, N, E), or (N, L, E) with ``batch_first``, or (L, E)
    unbatched. Masks: ``key_padding_mask`` (N, S) and ``attn_mask`` (L, S) or (N * H, L, S),
    bool (True = ignore that key) or float (added to the scores).
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got "
                             f"embed_dim={embed_dim} and num_heads={num_heads} instead")
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim must be divisible by num_heads; got embed_dim="
                             f"{embed_dim} and num_heads={num_heads}")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.batch_first, self.head_dim = batch_first, embed_dim // num_heads
        self.add_zero_attn = add_zero_attn
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype=dtype))
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.in_proj_weight = None
            self.q_proj_weight = Parameter(np.empty((embed_dim, embed_dim), dtype=dtype))
            self.k_proj_weight = Parameter(np.empty((embed_dim, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(np.empty((embed_dim, self.vdim), dtype=dtype))
        self.in_proj_bias = Parameter(np.empty(3 * embed_dim, dtype=dtype)) if bias else None
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias).to(dtype)
        if add_bias_kv:
            self.bias_k = Parameter(np.empty((1, 1, embed_dim), dtype=dtype))
            self.bias_v = Parameter(np.empty((1, 1, embed_dim), dtype=dtype))
        else:
            self.bias_k = self.bias_v = None
        self._reset_parameters()

    def _reset_parameters(self):
        for weight in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight,
                       self.v_proj_weight):
            if weight is not None:
                init.xavier_uniform_(weight)
        for bias in (self.in_proj_bias, self.out_proj.bias):
            if bias is not None:
                init.constant_(bias, 0.0)
        for bias in (self.bias_k, self.bias_v):
            if bias is not None:
                init.xavier_normal_(bias)

    def _projections(self):
        """(W_q, W_k, W_v) and (b_q, b_k, b_v): slices of the stacked parameters."""
        E = self.embed_dim
        if self._qkv_same_embed_dim:
            weights = (self.in_proj_weight[:E], self.in_proj_weight[E:2 * E],
                       self.in_proj_weight[2 * E:])
        else:
            weights = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        if self.in_proj_bias is None:
            return weights, (None, None, None)
        b = self.in_proj_bias
        return weights, (b[:E], b[E:2 * E], b[2 * E:])

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        """(attn_output, attn_weights): the output in the query's layout; the weights (N, L, S)
        averaged over heads, (N, H, L, S) with ``average_attn_weights=False``, or None when
        ``need_weights=False``. ``is_causal`` is a hint that attn_mask is the causal mask;
        as in PyTorch it needs that mask."""
        batched = query.ndim == 3
        self._check_shapes(query, key, value, batched)
        if is_causal and attn_mask is None:
            raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use "
                               "the Transformer module method `generate_square_subsequent_mask` "
                               "to create this mask.")
        if not batched:  # one sequence: a batch of one, squeezed again at the end
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        elif self.batch_first:
            query, key, value = (x.transpose(0, 1) for x in (query, key, value))
        # From here (L, N, E), PyTorch's own layout.
        length, batch, _ = query.shape
        (w_q, w_k, w_v), (b_q, b_k, b_v) = self._projections()
        q, k, v = F.linear(query, w_q, b_q), F.linear(key, w_k, b_k), F.linear(value, w_v, b_v)
        mask = self._merged_mask(attn_mask, key_padding_mask, length, batch, key.shape[0],
                                 q.dtype)
        if self.bias_k is not None:
            k = cat([k, self.bias_k.expand(1, batch, self.embed_dim)])
            v = cat([v, self.bias_v.expand(1, batch, self.embed_dim)])
            mask = None if mask is None else pad(mask, (0, 1))
        q, k, v = (self._heads(x, batch) for x in (q, k, v))  # (N, H, L or S, d)
        if self.add_zero_attn:
            zeros = Tensor(np.zeros((batch, self.num_heads, 1, self.head_dim), dtype=k.dtype))
            k, v = cat([k, zeros], 2), cat([v, zeros], 2)
            mask = None if mask is None else pad(mask, (0, 1))
        dropout_p = self.dropout if self.training else 0.0
        if need_weights:
            # Plain softmax here, as PyTorch: a row with every key masked is nan.
            scores = (q * (1.0 / math.sqrt(self.head_dim))) @ k.transpose(-2, -1)
            weights = (scores if mask is None else scores + mask).softmax(-1)
            # The weights returned are the dropped-out ones, as in PyTorch.
            weights = F.dropout(weights, dropout_p, training=True)
            heads = weights @ v
        else:
            heads = F.scaled_dot_product_attention(q, k, v, mask, dropout_p)
            weights = None
        out = heads.permute(2, 0, 1, 3).reshape(length, batch, self.embed_dim)
        out = self.out_proj(out)
        if weights is not None and average_attn_weights:
            weights = weights.mean(1)
        if not batched:
            return out.squeeze(1), None if weights is None else weights.squeeze(0)
        return (out.transpose(0, 1) if self.batch_first else out), weights

    def _heads(self, x, batch):
        """(S, N, E) -> (N, H, S, d): head h is channels h*d ... (h+1)*d - 1, as in PyTorch."""
        return x.reshape(x.shape[0], batch, self.num_heads, self.head_dim).permute(1, 2, 0, 3)

    def _merged_mask(self, attn_mask, key_padding_mask, length, batch, source, dtype):
        """attn_mask and key_padding_mask as one float mask broadcasting to (N, H, L, S)."""
        attn_mask = _blocking_mask(attn_mask, "attn_mask", dtype)
        key_padding_mask = _blocking_mask(key_padding_mask, "key_padding_mask", dtype)
        if attn_mask is not None:
            expected = {2: (length, source), 3: (batch * self.num_heads, length, source)}
            if expected.get(attn_mask.ndim) != attn_mask.shape:
                raise RuntimeError(f"attn_mask of shape {attn_mask.shape} should be (L, S) = "
                                   f"{(length, source)} or (N * num_heads, L, S) = "
                                   f"{(batch * self.num_heads, length, source)}")
            if attn_mask.ndim == 3:
                attn_mask = attn_mask.reshape(batch, self.num_heads, length, source)
        if key_padding_mask is not None:
            if key_padding_mask.shape != (batch, source):
                raise RuntimeError(f"expecting key_padding_mask shape of {(batch, source)}, but "
                                   f"got {key_padding_mask.shape}")
            key_padding_mask = key_padding_mask.reshape(batch, 1, 1, source)
            return key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
        return attn_mask

    def _check_shapes(self, query, key, value, batched):
        ndim = 3 if batched else 2
        if query.ndim not in (2, 3) or key.ndim != ndim or value.ndim != ndim:
            raise ValueError(f"MultiheadAttention expects query, key and value all 3-D "
                             f"(batched) or all 2-D (unbatched); got shapes {query.shape}, "
                             f"{key.shape}, {value.shape}")
        if query.shape[-1] != self.embed_dim or key.shape[-1] != self.kdim or \
                value.shape[-1] != self.vdim:
            raise ValueError(f"MultiheadAttention(embed_dim={self.embed_dim}, kdim={self.kdim}, "
                             f"vdim={self.vdim}) got query, key, value of shapes {query.shape}, "
                             f"{key.shape}, {value.shape}")
        if key.shape[:-1] != value.shape[:-1]:
            raise ValueError(f"key shape {key.shape} does not match value shape {value.shape}")
