"""``default_collate``: how a list of samples becomes a batch, PyTorch's rules.

The DataLoader's own path fetches a whole batch in one vectorised step and never calls this;
it is used when a program passes ``collate_fn`` (and by programs that call it themselves,
typically inside their own collate_fn, after padding or filtering the samples).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ...functional import stack
from ...tensor import Tensor


def default_collate(batch):
    """Stack a list of samples into a batch, by the type of the first sample (PyTorch's
    ``torch.utils.data.default_collate``):

    Tensor -> stacked along a new dimension 0; NumPy array or scalar -> the same, as a Tensor;
    float -> float64 Tensor, int -> int64 Tensor, bool -> bool Tensor; str / bytes -> the list
    unchanged; dict -> a dict of collated values per key; namedtuple -> the same namedtuple of
    collated fields; tuple or list -> a list with each position collated (all samples must
    have the same length).
    """
    if not isinstance(batch, Sequence) or len(batch) == 0:
        raise TypeError("default_collate expects a non-empty list of samples; got "
                        + ("an empty one" if isinstance(batch, Sequence)
                           else type(batch).__name__))
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(list(batch))
    if isinstance(first, np.ndarray) and first.dtype.kind not in "USO":
        return Tensor(np.stack([np.asarray(sample) for sample in batch]))
    if isinstance(first, (np.number, np.bool_)):
        return Tensor(np.asarray(batch))
    if isinstance(first, bool):
        return Tensor(np.asarray(batch, dtype=np.bool_))
    if isinstance(first, int):
        return Tensor(np.asarray(batch, dtype=np.int64))
    if isinstance(first, float):
        return Tensor(np.asarray(batch, dtype=np.float64))  # Python floats are doubles
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in first}
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # a namedtuple
        return type(first)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(first, Sequence):
        if any(len(sample) != len(first) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size; got "
                               f"lengths {sorted({len(sample) for sample in batch})}")
        return [default_collate(list(position)) for position in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, "
                    f"dicts or lists; found {type(first).__name__}")
