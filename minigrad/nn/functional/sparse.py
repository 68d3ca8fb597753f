"""Index-valued inputs: ``one_hot`` and ``embedding`` (PyTorch's torch.nn.functional names)."""
import numpy as np

from ... import ops
from ...autograd import no_grad
from ...static.hooks import kernel
from ...tensor import Tensor


def one_hot(tensor, num_classes: int = -1) -> Tensor:
    """out[..., c] = 1 if tensor[...] == c else 0: an int64 tensor of shape (*, num_classes);
    ``num_classes=-1`` uses the largest value + 1."""
    indices = tensor.array if isinstance(tensor, Tensor) else np.asarray(tensor)
    return Tensor._make(kernel(_one_hot, indices, num_classes), False, None)


def _one_hot(indices, num_classes):
    if indices.dtype != np.int64:
        raise RuntimeError(f"one_hot is only applicable to index tensor of type LongTensor "
                           f"(int64); got dtype {indices.dtype}")
    if num_classes == -1:
        if indices.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(indices.max()) + 1
    if indices.size and indices.min() < 0:
        raise RuntimeError(f"Class values must be non-negative; got {int(indices.min())}")
    if indices.size and indices.max() >= num_classes:
        raise RuntimeError(f"Class values must be smaller than num_classes; got "
                           f"{int(indices.max())} for num_classes={num_classes}")
    out = np.zeros(indices.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, indices[..., None], 1, axis=-1)
    return out


def embedding(input, weight: Tensor, padding_idx=None, max_norm=None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """out[...] = weight[input[...]]: the rows of ``weight`` (num_embeddings, dim) named by
    the integer tensor ``input``; shape input.shape + (dim,).

    The gradient is a scatter-add of the output's gradient rows into the rows used (one
    primitive, ``ops.Embedding``), and 0 at row ``padding_idx`` (negative counts from the
    end), and divided by the row's number of uses in ``input`` when ``scale_grad_by_freq``.
    ``max_norm``: first rescale, in place, each looked-up row whose ``norm_type``-norm
    exceeds it to norm max_norm (PyTorch's factor max_norm / (norm + 1e-7)). ``sparse=True``
    is accepted and gives the same (dense) gradient.
    """
    indices = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
    if indices.dtype.kind not in "iu":
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {indices.dtype} instead")
    num_embeddings = weight.shape[0]
    bad = kernel(_out_of_range, indices.array, num_embeddings)
    if bad is not None:
        raise IndexError(f"index out of range: index {bad} is outside an embedding table of "
                         f"{num_embeddings} rows")
    if padding_idx is not None:
        if not -num_embeddings <= padding_idx < num_embeddings:
            raise ValueError(f"padding_idx={padding_idx} must be within num_embeddings="
                             f"{num_embeddings}")
        padding_idx = padding_idx % num_embeddings
    if max_norm is not None:
        with no_grad():
            kernel(_renorm, weight.array, indices.array, max_norm, norm_type)
        weight._version += 1  # changed in place: a graph that saved it must not use it
    return ops.Embedding.apply(weight, indices, padding_idx=padding_idx,
                               scale_grad_by_freq=scale_grad_by_freq)


def _out_of_range(indices, num_embeddings):
    """The first index outside [0, num_embeddings), or None."""
    if indices.size == 0 or (indices.min() >= 0 and indices.max() < num_embeddings):
        return None
    return int(indices[(indices < 0) | (indices >= num_embeddings)].flat[0])


def _renorm(table, indices, max_norm, norm_type):
    """Rows of ``table`` named in ``indices`` scaled in place down to norm max_norm."""
    rows = np.unique(indices)
    norms = np.linalg.norm(table[rows], ord=norm_type, axis=-1)
    too_long = norms > max_norm
    table[rows[too_long]] *= (max_norm / (norms[too_long] + 1e-7))[:, None].astype(table.dtype)
