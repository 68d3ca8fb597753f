"""PyTorch's legacy tensor types: ``torch.FloatTensor``, ``torch.LongTensor``, ...

Old tutorials still write ``torch.FloatTensor([1, 2])`` (a tensor of that dtype from data),
``torch.FloatTensor(2, 3)`` (of that shape), ``x.type(torch.FloatTensor)`` and
``isinstance(x, torch.FloatTensor)``. Each name here is a small object that does those three
things for its dtype.
"""
import numpy as np

from .tensor import Tensor
from .tensor.conversion import TYPE_NAMES


class TensorType:
    """One legacy type: calling it makes a tensor of its dtype; ``isinstance`` checks it."""

    def __init__(self, name: str, dtype):
        self.__name__, self.legacy_dtype = name.split(".")[-1], np.dtype(dtype)

    def __call__(self, *args):
        if not args:
            return Tensor(np.zeros(0, self.legacy_dtype))
        if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
            return Tensor(np.zeros(args, self.legacy_dtype))  # a shape (zeros: see empty)
        if len(args) == 1:
            data = args[0].array if isinstance(args[0], Tensor) else args[0]
            return Tensor(np.array(data, dtype=self.legacy_dtype))
        raise TypeError(f"{self.__name__}() takes data or a shape; got {args!r}")

    def __instancecheck__(self, instance):
        return isinstance(instance, Tensor) and instance.dtype == self.legacy_dtype

    def __repr__(self):
        return f"<class 'torch.{self.__name__}'>"


_TYPES = {name.split(".")[-1]: TensorType(name, dtype) for dtype, name in TYPE_NAMES.items()}
FloatTensor, DoubleTensor, HalfTensor = (_TYPES[n] for n in ("FloatTensor", "DoubleTensor",
                                                             "HalfTensor"))
LongTensor, IntTensor, ShortTensor = (_TYPES[n] for n in ("LongTensor", "IntTensor",
                                                          "ShortTensor"))
CharTensor, ByteTensor, BoolTensor = (_TYPES[n] for n in ("CharTensor", "ByteTensor",
                                                          "BoolTensor"))
