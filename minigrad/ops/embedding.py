"""The embedding lookup and its adjoint, the scatter-add of gradient rows into a table.

Indices are an input tensor (an integer one, which never requires grad), not a parameter:
under ``minigrad.compile`` each replay then looks up the new step's indices.
"""
import numpy as np

from ..autograd import Function


def _counts(indices, num_embeddings):
    """How often each row is used in ``indices`` (for scale_grad_by_freq)."""
    return np.bincount(indices.reshape(-1), minlength=num_embeddings)


class Embedding(Function):
    """out[..., :] = weight[indices[...], :];  d weight = the rows of g added into the rows
    they were read from (``EmbeddingScatter``), nothing into row ``padding_idx``, and each
    row's sum divided by how often it was used when ``scale_grad_by_freq``.

    ``adjoint=True`` makes this the adjoint of that scatter, used when a gradient is
    differentiated again: it also zeroes the output rows whose index is ``padding_idx`` and
    divides by the counts. (Plain ``F.embedding`` reads the padding row as it is, as PyTorch
    does, and only keeps its gradient at zero.)
    """

    def forward(self, weight, indices, padding_idx=None, scale_grad_by_freq=False,
                adjoint=False):
        self.num_embeddings, self.padding_idx = weight.shape[0], padding_idx
        self.scale_grad_by_freq = scale_grad_by_freq
        # Checked here, so that a compiled step checks every replay's indices too
        # (np.take would silently wrap a negative index around).
        if indices.size and (indices.min() < 0 or indices.max() >= weight.shape[0]):
            bad = indices.min() if indices.min() < 0 else indices.max()
            raise IndexError(f"index out of range in self: embedding index {int(bad)} is not "
                             f"in [0, {weight.shape[0]}) for a table of shape {weight.shape}")
        out = np.take(weight, indices, axis=0)
        if adjoint and scale_grad_by_freq:
            counts = _counts(indices, weight.shape[0]).astype(out.dtype)
            out /= counts[indices].reshape(indices.shape + (1,) * (out.ndim - indices.ndim))
        if adjoint and padding_idx is not None:
            out[indices == padding_idx] = 0
        return out

    def backward(self, grad, out):
        weight_grad = EmbeddingScatter.apply(grad, self.inputs[1],
                                             num_embeddings=self.num_embeddings,
                                             padding_idx=self.padding_idx,
                                             scale_grad_by_freq=self.scale_grad_by_freq)
        return weight_grad, None


class EmbeddingScatter(Function):
    """out = zeros(num_embeddings, ...) with out[indices[n]] += g[n] for every position n
    (except where indices[n] == padding_idx; each row divided by its count n_r when
    ``scale_grad_by_freq``);  dg[n] = grad_out[indices[n]] (/ n_r; 0 at padding).

    The scatter sorts the positions by index and sums each run of equal indices with one
    ``np.add.reduceat``: several times faster than ``np.add.at``, and far cheaper than a
    product with a (positions, num_embeddings) one-hot matrix.
    """

    def forward(self, grad, indices, num_embeddings, padding_idx=None,
                scale_grad_by_freq=False):
        self.padding_idx, self.scale_grad_by_freq = padding_idx, scale_grad_by_freq
        flat = indices.reshape(-1)
        rows = grad.reshape((flat.size,) + grad.shape[indices.ndim:])
        out = np.zeros((num_embeddings,) + grad.shape[indices.ndim:], dtype=grad.dtype)
        if flat.size:
            order = np.argsort(flat, kind="stable")
            sorted_indices = flat[order]
            starts = np.flatnonzero(np.r_[True, sorted_indices[1:] != sorted_indices[:-1]])
            sums = np.add.reduceat(rows[order], starts, axis=0)
            if scale_grad_by_freq:  # a run's length is how often its row was used
                lengths = np.diff(np.r_[starts, flat.size]).astype(grad.dtype)
                sums /= lengths.reshape((-1,) + (1,) * (sums.ndim - 1))
            out[sorted_indices[starts]] = sums
        if padding_idx is not None:
            out[padding_idx] = 0
        return out

    def backward(self, grad, out):
        return Embedding.apply(grad, self.inputs[1], padding_idx=self.padding_idx,
                               scale_grad_by_freq=self.scale_grad_by_freq, adjoint=True), None
