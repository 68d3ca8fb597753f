"""Shape methods: views and rearrangements of the same elements, and indexing."""
from __future__ import annotations

# Bound by minigrad.tensor once the class exists (ops and functional build on Tensor).
Tensor = autograd = ops = F = None


def _shape_args(shape):
    """Accept both ``f(2, 3)`` and ``f((2, 3))``, as PyTorch does."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


class Size(tuple):
    """PyTorch's ``torch.Size``, for code that builds one (``x.shape == Size([2, 3])``); minigrad's
    ``x.shape`` itself is a plain tuple, which compares equal to it."""

    def numel(self) -> int:
        count = 1
        for n in self:
            count *= n
        return count

    def __repr__(self):
        return f"Size({list(self)})"


class ShapeMethods:
    __slots__ = ()

    def reshape(self, *shape):
        return ops.Reshape.apply(self, shape=_shape_args(shape))

    def flatten(self, start_dim=0, end_dim=-1):
        return F.flatten(self, start_dim, end_dim)

    def permute(self, *dims):
        return ops.Permute.apply(self, dims=_shape_args(dims))

    def transpose(self, dim0, dim1):
        return F.transpose(self, dim0, dim1)

    def t(self):
        """The transpose of a matrix (a 0-d or 1-d tensor is returned as is), as PyTorch."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with at most 2 dimensions; this one has "
                               f"shape {self.shape} (use transpose or permute)")
        return self if self.ndim < 2 else F.transpose(self, 0, 1)

    @property
    def T(self):
        return ops.Permute.apply(self, dims=tuple(range(self.ndim))[::-1])

    @property
    def mT(self):
        return F.transpose(self, -2, -1)

    def squeeze(self, dim=None, *, axis=None):
        return F.squeeze(self, axis if dim is None else dim)

    def unsqueeze(self, dim=None, *, axis=None):
        if dim is None and axis is None:
            raise TypeError("unsqueeze() missing the required argument 'dim'")
        return F.unsqueeze(self, axis if dim is None else dim)

    def expand(self, *shape):
        return F.expand(self, _shape_args(shape))

    def broadcast_to(self, *shape):
        return F.broadcast_to(self, _shape_args(shape))

    def expand_as(self, other):
        return F.broadcast_to(self, other.shape)

    def view_as(self, other):
        return ops.Reshape.apply(self, shape=other.shape)

    def reshape_as(self, other):
        return ops.Reshape.apply(self, shape=other.shape)

    def __iter__(self):
        # Over the first dimension, as PyTorch (and NumPy) do; each row stays in the graph.
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.shape[0]))

    def __getitem__(self, index):
        return ops.GetItem.apply(self, index=ops.normalize_index(index))

    def gather(self, dim, index):
        return F.gather(self, dim, index)

    def index_select(self, dim, index):
        return F.index_select(self, dim, index)

    def scatter_add(self, dim, index, src):
        return F.scatter_add(self, dim, index, src)

    def scatter(self, dim, index, src=None, *, value=None):
        return F.scatter(self, dim, index, src, value=value)

    def split(self, split_size, dim=0):
        return F.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return F.chunk(self, chunks, dim)

    def repeat(self, *sizes):
        return F.repeat(self, _shape_args(sizes))

    def tril(self, diagonal=0):
        return F.tril(self, diagonal)

    def triu(self, diagonal=0):
        return F.triu(self, diagonal)

    def masked_fill(self, mask, value):
        return F.masked_fill(self, mask, value)

    def contiguous(self, memory_format=None):
        """The tensor itself: minigrad has no strided views that would need a copy."""
        return self
