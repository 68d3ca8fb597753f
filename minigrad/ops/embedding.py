"""The embedding lookup and its adjoint, the scatter-add of gradient rows into a table.

Indices are an input tensor (an integer one, which never requires grad), not a parameter:
under ``minigrad.compile`` each replay then looks up the new step's indices.
"""
import numpy as np

from ..autograd import Function


class Embedding(Function):
    """out[..., :] = weight[indices[...], :];  d weight = the rows of g added into the rows
    they were read from (``EmbeddingScatter``), nothing into row ``padding_idx``.

    ``zero_padding=True`` also zeroes the output rows whose index is ``padding_idx``: that is
    the adjoint of the scatter, used when a gradient is differentiated again. (Plain
    ``F.embedding`` reads the padding row as it is, as PyTorch does, and only keeps its
    gradient at zero.)
    """

    def forward(self, weight, indices, padding_idx=None, zero_padding=False):
        self.num_embeddings, self.padding_idx = weight.shape[0], padding_idx
        # Checked here, so that a compiled step checks every replay's indices too
        # (np.take would silently wrap a negative index around).
        if indices.size and (indices.min() < 0 or indices.max() >= weight.shape[0]):
            bad = indices.min() if indices.min() < 0 else indices.max()
            raise IndexError(f"index out of range in self: embedding index {int(bad)} is not "
                             f"in [0, {weight.shape[0]}) for a table of shape {weight.shape}")
        out = np.take(weight, indices, axis=0)
        if zero_padding and padding_idx is not None:
            out[indices == padding_idx] = 0
        return out

    def backward(self, grad, out):
        weight_grad = EmbeddingScatter.apply(grad, self.inputs[1],
                                             num_embeddings=self.num_embeddings,
                                             padding_idx=self.padding_idx)
        return weight_grad, None


class EmbeddingScatter(Function):
    """out = zeros(num_embeddings, dim) with out[indices[n]] += g[n] for every position n
    (except where indices[n] == padding_idx);  dg[n] = grad_out[indices[n]] (0 at padding).

    The scatter sorts the positions by index and sums each run of equal indices with one
    ``np.add.reduceat``: several times faster than ``np.add.at``, and far cheaper than a
    product with a (positions, num_embeddings) one-hot matrix.
    """

    def forward(self, grad, indices, num_embeddings, padding_idx=None):
        self.padding_idx = padding_idx
        flat = indices.reshape(-1)
        rows = grad.reshape((flat.size,) + grad.shape[indices.ndim:])
        out = np.zeros((num_embeddings,) + grad.shape[indices.ndim:], dtype=grad.dtype)
        if flat.size:
            order = np.argsort(flat, kind="stable")
            sorted_indices = flat[order]
            starts = np.flatnonzero(np.r_[True, sorted_indices[1:] != sorted_indices[:-1]])
            sums = np.add.reduceat(rows[order], starts, axis=0)
            out[sorted_indices[starts]] = sums.reshape((len(starts),) + out.shape[1:])
        if padding_idx is not None:
            out[padding_idx] = 0
        return out

    def backward(self, grad, out):
        return Embedding.apply(grad, self.inputs[1], padding_idx=self.padding_idx,
                               zero_padding=True), None
