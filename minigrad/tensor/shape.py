"""Shape methods: views and rearrangements of the same elements, and indexing."""
from __future__ import annotations

import numpy as np

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

    def is_contiguous(self, memory_format=None) -> bool:
        return True  # every tensor's array is C-ordered or treated as such

    def flip(self, *dims):
        """The elements in reverse order along each of ``dims`` (a reversed-slice view)."""
        index = [slice(None)] * self.ndim
        for dim in _shape_args(dims):
            index[dim] = slice(None, None, -1)
        return self[tuple(index)]

    def unbind(self, dim=0):
        """The slices along ``dim``, each without that dimension."""
        dim %= self.ndim
        return tuple(self[(slice(None),) * dim + (i,)] for i in range(self.shape[dim]))

    def unflatten(self, dim, sizes):
        """Dimension ``dim`` split into ``sizes`` (one may be -1)."""
        dim %= self.ndim
        return self.reshape(self.shape[:dim] + tuple(sizes) + self.shape[dim + 1:])

    def diag(self, diagonal=0):
        """A 1-D tensor as the ``diagonal``-th diagonal of a square matrix; a 2-D tensor's
        ``diagonal``-th diagonal as a 1-D tensor."""
        if self.ndim == 1:
            size = self.shape[0] + abs(diagonal)
            rows = np.arange(self.shape[0]) + max(-diagonal, 0)
            columns = np.arange(self.shape[0]) + max(diagonal, 0)
            return ops.IndexAdd.apply(self, index=(rows, columns), shape=(size, size), unique=True)
        if self.ndim != 2:
            raise ValueError(f"diag expects a 1-D or 2-D tensor; got shape {self.shape}")
        rows = np.arange(max(0, min(self.shape[0] + min(diagonal, 0),
                                    self.shape[1] - max(diagonal, 0))))
        return self[rows - min(diagonal, 0), rows + max(diagonal, 0)]

    def masked_select(self, mask):
        """The elements where ``mask`` (broadcast to this shape) is True, as a 1-D tensor."""
        mask = mask.array if isinstance(mask, Tensor) else np.asarray(mask)
        return self.broadcast_to(np.broadcast_shapes(self.shape, mask.shape))[
            np.broadcast_to(mask, np.broadcast_shapes(self.shape, mask.shape))]

    def nonzero(self, *, as_tuple=False):
        """The indices of the non-zero elements: an (n, ndim) int64 tensor, or with
        ``as_tuple`` one 1-D tensor per dimension. No gradient."""
        found = np.nonzero(self.array)
        if as_tuple:
            return tuple(Tensor._make(i.astype(np.int64), False, None) for i in found)
        return Tensor._make(np.stack(found, 1).astype(np.int64), False, None)

    def argwhere(self):
        return self.nonzero()

    def narrow(self, dim, start, length):
        """The elements start .. start + length - 1 along ``dim`` (a slice)."""
        dim %= self.ndim
        start = start % self.shape[dim] if start < 0 else start
        return self[(slice(None),) * dim + (slice(start, start + length),)]

    def roll(self, shifts, dims=None):
        """Elements shifted by ``shifts`` along ``dims`` (of the flattened tensor without
        dims), those pushed off one end coming back at the other."""
        if dims is None:
            return self.reshape(-1).roll(shifts, 0).reshape(self.shape)
        shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        if len(shifts) != len(dims):
            raise ValueError(f"roll: shifts {shifts} and dims {dims} differ in length")
        out = self
        for shift, dim in zip(shifts, dims):
            dim %= self.ndim
            order = (np.arange(self.shape[dim]) - shift) % self.shape[dim]
            out = out[(slice(None),) * dim + (order,)]
        return out

    def tile(self, *dims):
        """Repeated ``dims`` times along each dimension (leading ones when dims is shorter)."""
        dims = _shape_args(dims)
        return self.repeat((1,) * (self.ndim - len(dims)) + dims) if len(dims) < self.ndim \
            else self.reshape((1,) * (len(dims) - self.ndim) + self.shape).repeat(dims)

    def repeat_interleave(self, repeats, dim=None, *, output_size=None):
        """Each element (or slice along ``dim``) repeated ``repeats`` times in place:
        [1, 2] -> [1, 1, 2, 2]."""
        source = self.reshape(-1) if dim is None else self
        dim = 0 if dim is None else dim % self.ndim
        counts = repeats.array if isinstance(repeats, Tensor) else repeats
        order = np.repeat(np.arange(source.shape[dim]), counts)
        return source[(slice(None),) * dim + (order,)]

    def diff(self, n=1, dim=-1, prepend=None, append=None):
        """The n-th forward difference along ``dim``: x[i + 1] - x[i], n times."""
        parts = [t for t in (prepend, self, append) if t is not None]
        out = F.cat(parts, dim) if len(parts) > 1 else self
        dim %= out.ndim
        for _ in range(n):
            size = out.shape[dim]
            out = out.narrow(dim, 1, size - 1) - out.narrow(dim, 0, size - 1)
        return out

    def movedim(self, source, destination):
        """Dimensions ``source`` moved to positions ``destination``, the others in order."""
        source = [d % self.ndim for d in ((source,) if isinstance(source, int) else source)]
        destination = [d % self.ndim for d in ((destination,) if isinstance(destination, int)
                                               else destination)]
        if len(source) != len(destination):
            raise ValueError(f"movedim: source {source} and destination {destination} differ "
                             "in length")
        order = [None] * self.ndim
        for s, d in zip(source, destination):
            order[d] = s
        rest = iter(d for d in range(self.ndim) if d not in source)
        return self.permute(*[next(rest) if d is None else d for d in order])

    def moveaxis(self, source, destination):
        return self.movedim(source, destination)

    def swapaxes(self, axis0, axis1):
        return self.transpose(axis0, axis1)

    def swapdims(self, dim0, dim1):
        return self.transpose(dim0, dim1)

    def take_along_dim(self, indices, dim=None):
        """self's elements picked by ``indices`` along ``dim`` (NumPy's take_along_axis; the
        indices have this tensor's number of dimensions), or from the flattened tensor."""
        if dim is None:
            return self.reshape(-1).gather(0, indices.reshape(-1))
        return self.gather(dim, indices)
