"""The embedding table: a lookup of rows of a trainable matrix by integer index."""
import numpy as np

from .. import ops
from ..ops._common import constant
from ..autograd.engine import Function
from ..grad_mode import no_grad
from ..static.hooks import kernel
from ..tensor import Tensor
from . import init
from ._factory import parameter_dtype
from .module import Module
from .parameter import Parameter


class _ScaleGrad(Function):
    """out = x;  dx = g * scale. The identity whose gradient is rescaled per element: zero on
    the padding row's lookups, 1 / count with ``scale_grad_by_freq``. The backward is a
    product with a constant, so every order of derivative is exact."""

    def forward(self, x, scale):
        self.scale = scale
        return x

    def backward(self, grad, out):
        return (grad * constant(self.scale),)


def _lookup_scale(indices, padding_idx, scale_grad_by_freq, dtype):
    """(..., 1) factors for the gradient of each looked-up row, or None if all are 1."""
    scale = np.ones(indices.shape + (1,), dtype=dtype)
    if scale_grad_by_freq:
        # PyTorch divides each row's gradient by how often that index occurs in the batch.
        _, inverse, counts = np.unique(indices, return_inverse=True, return_counts=True)
        scale[..., 0] = 1.0 / counts[inverse.reshape(indices.shape)]
    if padding_idx is not None:
        scale[indices == padding_idx] = 0.0
    return scale


def _renorm_rows(weight, indices, max_norm, norm_type):
    """Rescale (in place) each looked-up row whose norm exceeds max_norm to norm max_norm,
    as PyTorch's embedding_renorm_ does (factor max_norm / (norm + 1e-7))."""
    rows = np.unique(indices)
    norms = np.linalg.norm(weight[rows].astype(np.float64), ord=norm_type, axis=1)
    over = norms > max_norm
    weight[rows[over]] *= (max_norm / (norms[over] + 1e-7))[:, None].astype(weight.dtype)


def embedding_lookup(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
                     scale_grad_by_freq=False):
    """out[..., :] = weight[input[...], :]; the gradient of a row is the sum of the output
    gradients that looked it up (getitem's scatter-add), zero for ``padding_idx``."""
    if not isinstance(input, Tensor) or input.dtype.kind not in "iu":
        kind = input.dtype if isinstance(input, Tensor) else type(input).__name__
        raise TypeError(f"embedding expects indices as an integer (Long or Int) tensor; got {kind}")
    indices = input.array
    num_embeddings = weight.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= num_embeddings):
        bad = indices[(indices < 0) | (indices >= num_embeddings)].flat[0]
        raise IndexError(f"index {bad} is out of range for an embedding table of "
                         f"{num_embeddings} rows")
    if max_norm is not None:
        with no_grad():
            kernel(_renorm_rows, weight.array, indices, max_norm, norm_type)
            weight._version += 1
    rows = ops.GetItem.apply(weight, index=indices)
    if padding_idx is None and not scale_grad_by_freq:
        return rows
    scale = kernel(_lookup_scale, indices, padding_idx, scale_grad_by_freq, weight.dtype)
    return _ScaleGrad.apply(rows, scale=scale)


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``: out = weight[input].

    PyTorch's initialisation: weight ~ N(0, 1), with row ``padding_idx`` (if given) zeroed;
    that row never receives a gradient, so it stays what it is. ``max_norm`` renormalises the
    rows looked up (in place) to norm at most max_norm; ``scale_grad_by_freq`` divides each
    row's gradient by the index's count in the batch. ``sparse=True`` (sparse gradients) is
    not supported: minigrad's gradients are dense arrays."""

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx=None,
                 max_norm=None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight=None, _freeze: bool = False, device=None,
                 dtype=None):
        super().__init__()
        dtype = parameter_dtype(device, dtype)
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"padding_idx ({padding_idx}) must be within num_embeddings "
                                 f"({num_embeddings})")
            padding_idx = padding_idx % num_embeddings  # -1 names the last row, as in PyTorch
        if sparse:
            raise NotImplementedError("Embedding(sparse=True): minigrad has no sparse gradients; "
                                      "use sparse=False (the gradient is a dense array)")
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx, self.max_norm, self.norm_type = padding_idx, max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype),
                                    requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise ValueError(f"Shape of weight {tuple(_weight.shape)} does not match "
                                 f"num_embeddings and embedding_dim ({num_embeddings}, "
                                 f"{embedding_dim})")
            array = _weight.array if isinstance(_weight, Tensor) else np.asarray(_weight)
            self.weight = Parameter(array, requires_grad=not _freeze)

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.array[self.padding_idx] = 0

    def forward(self, input):
        return embedding_lookup(input, self.weight, self.padding_idx, self.max_norm,
                                self.norm_type, self.scale_grad_by_freq)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            text += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        return text

    @classmethod
    def from_pretrained(cls, embeddings, freeze: bool = True, padding_idx=None, max_norm=None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False):
        """An Embedding whose weight is ``embeddings`` (2-D, used as given: the padding row
        is not zeroed), frozen (requires_grad=False) unless ``freeze=False``."""
        if embeddings.ndim != 2:
            raise ValueError(f"Embeddings parameter is expected to be 2-dimensional; got shape "
                             f"{tuple(embeddings.shape)}")
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse, _weight=embeddings,
                   _freeze=freeze, dtype=embeddings.dtype)
