"""Scatter primitives: PyTorch's ``scatter_add`` and ``scatter`` along one dimension.

For ``dim = 0`` and a 2-d index, position (i, j) of ``src`` goes to row ``index[i][j]``,
column j of the output; in general ``index`` names the coordinate along ``dim`` and the
position in ``index`` names all the others. The index is an input tensor (an integer one,
which never requires grad), so a compiled step scatters with each replay's own index.
"""
import numpy as np

from ..autograd import Function
from ..static.hooks import kernel
from ._common import constant


def scatter_positions(index, dim):
    """The coordinates ``out[positions]`` that ``index`` addresses along ``dim``: the open
    grid of ``index``'s own positions, with ``index`` itself as the coordinate along ``dim``."""
    grid = list(np.ix_(*[np.arange(n) for n in index.shape]))
    grid[dim] = index
    return tuple(grid)


def _leading(src, index):
    """The part of ``src`` that ``index`` covers (PyTorch lets ``src`` be larger)."""
    return src[tuple(slice(0, n) for n in index.shape)]


def _gathered_like(grad, dim, index, src_shape):
    """g at the scattered positions, zero-padded to ``src``'s shape: d out / d src."""
    picked = grad.gather(dim, index)
    if picked.shape == tuple(src_shape):
        return picked
    pad = []
    for n, total in zip(reversed(picked.shape), reversed(src_shape)):
        pad += [0, total - n]
    from ..functional import pad as constant_pad  # functional builds on ops: import late
    return constant_pad(picked, pad)


class ScatterAdd(Function):
    """out = self with src[p] added at out[positions(index)[p]] (repeats accumulate);
    d self = g,  d src = g gathered at the same positions (0 beyond index's extent)."""

    def forward(self, a, src, index, dim):
        self.dim, self.src_shape = dim, src.shape
        out = a.copy()
        np.add.at(out, scatter_positions(index, dim), _leading(src, index))
        return out

    def backward(self, grad, out):
        grad_src = None
        if self.needs_input_grad[1]:
            grad_src = _gathered_like(grad, self.dim, self.inputs[2], self.src_shape)
        return grad, grad_src, None


class Scatter(Function):
    """out = self with out[positions(index)[p]] = src[p] (one of several writes to the same
    place wins, unspecified which, as in PyTorch);  d self = g where nothing was written,
    else 0;  d src = g gathered at the positions."""

    def forward(self, a, src, index, dim):
        self.dim, self.src_shape = dim, src.shape
        out = a.copy()
        out[scatter_positions(index, dim)] = _leading(src, index)
        return out

    def backward(self, grad, out):
        index = self.inputs[2]
        grad_self = grad_src = None
        if self.needs_input_grad[0]:
            kept = kernel(_unwritten, index.array, self.dim, grad.shape, grad.dtype)
            grad_self = grad * constant(kept)
        if self.needs_input_grad[1]:
            grad_src = _gathered_like(grad, self.dim, index, self.src_shape)
        return grad_self, grad_src, None


def _unwritten(index, dim, shape, dtype):
    """1 where a scatter with ``index`` leaves the input's element, 0 where it writes."""
    kept = np.ones(shape, dtype=dtype)
    kept[scatter_positions(index, dim)] = 0
    return kept
