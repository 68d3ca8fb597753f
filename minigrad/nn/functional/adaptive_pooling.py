"""Adaptive pooling: the window sizes follow from the output size wanted, not the other way.

Output cell i of a dimension of length L pooled to n cells covers the input indices
start_i = floor(i L / n) to end_i = ceil((i + 1) L / n) (exclusive), PyTorch's formula: the
windows tile the input exactly when n divides L and overlap by one element otherwise.
"""
import numpy as np

from ... import ops
from ...ops.pooling import pytorch_argmax
from ...static.hooks import kernel as static_kernel
from ...tensor import Tensor


def window_bounds(length: int, cells: int):
    """(start, end) arrays of the ``cells`` windows over ``length`` positions."""
    i = np.arange(cells)
    return (i * length) // cells, -((-(i + 1) * length) // cells)  # floor and ceiling


def _output_size(name, input, output_size):
    if input.ndim not in (3, 4):
        raise ValueError(f"{name}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input; got "
                         f"shape {input.shape}")
    sizes = (output_size, output_size) if isinstance(output_size, (int, type(None))) \
        else tuple(output_size)
    if len(sizes) != 2:
        raise ValueError(f"{name}: output_size must be an int or a pair; got {output_size!r}")
    # None keeps that dimension's input size, as in PyTorch.
    sizes = tuple(input.shape[-2 + k] if s is None else s for k, s in enumerate(sizes))
    if any(not isinstance(s, (int, np.integer)) or s < 1 for s in sizes):
        raise ValueError(f"{name}: output_size must be positive; got {output_size!r}")
    if any(n == 0 for n in input.shape[-2:]):
        raise ValueError(f"{name}: the input of shape {input.shape} has an empty spatial "
                         "dimension")
    return sizes


def _averaging_matrix(length, cells, dtype):
    """P (cells x length) with P[i, h] = 1 / (end_i - start_i) inside window i, 0 elsewhere."""
    start, end = window_bounds(length, cells)
    positions = np.arange(length)
    inside = (positions >= start[:, None]) & (positions < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """out[..., i, j] = mean of x[..., start_i:end_i, start_j:end_j] over each window.

    A window's mean is a mean over rows then over columns, so the whole pooling is two
    matrix products, P_H x P_W^T, with one averaging matrix per dimension (vectorised and
    differentiable through matmul); when the sizes divide, it is a reshape and a mean."""
    out_h, out_w = _output_size("adaptive_avg_pool2d", input, output_size)
    height, width = input.shape[-2:]
    if height % out_h == 0 and width % out_w == 0:
        blocks = input.reshape(input.shape[:-2] + (out_h, height // out_h, out_w, width // out_w))
        return blocks.mean((-3, -1))
    rows = Tensor(_averaging_matrix(height, out_h, input.dtype))
    columns = Tensor(_averaging_matrix(width, out_w, input.dtype).T)
    return rows @ input @ columns


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """out[..., i, j] = max of x[..., start_i:end_i, start_j:end_j]; the gradient goes to the
    first maximal element of each window (its last NaN if any), as in PyTorch.
    ``return_indices=True`` also returns each maximum's flat index h * W + w."""
    out_size = _output_size("adaptive_max_pool2d", input, output_size)
    flat_index, plane_index = static_kernel(_chosen_positions, input.array, out_size)
    out = ops.GetItem.apply(input.reshape(-1), index=flat_index, unique=False)
    return (out, Tensor(plane_index)) if return_indices else out


def _chosen_positions(source, out_size):
    """The flat index into ``source`` of each window's maximum, and its index h * W + w
    within its own (H, W) plane."""
    height, width = source.shape[-2:]
    planes = source.reshape((-1, height, width))
    # Every window gathered to the largest window's size; positions past a window's end
    # point to an appended -inf row / column, which can never be chosen.
    padded = np.pad(planes, ((0, 0), (0, 1), (0, 1)), constant_values=-np.inf)
    row_index = _window_positions(height, out_size[0])
    column_index = _window_positions(width, out_size[1])
    windows = padded[:, row_index[:, :, None, None], column_index[None, None, :, :]]
    windows = windows.transpose(0, 1, 3, 2, 4)  # (planes, out_h, out_w, kh, kw)
    n_planes, out_h, out_w, kh, kw = windows.shape
    du, dv = np.divmod(pytorch_argmax(windows.reshape(n_planes, out_h, out_w, -1)), kw)
    rows = row_index[np.arange(out_h)[None, :, None], du]
    columns = column_index[np.arange(out_w)[None, None, :], dv]
    plane_index = rows * width + columns
    flat = np.arange(n_planes).reshape(-1, 1, 1) * (height * width) + plane_index
    shape = source.shape[:-2] + (out_h, out_w)
    return flat.reshape(shape), plane_index.reshape(shape).astype(np.int64)


def _window_positions(length, cells):
    """(cells, widest window) positions of each window, padded with ``length`` (the -inf)."""
    start, end = window_bounds(length, cells)
    positions = start[:, None] + np.arange((end - start).max())
    return np.where(positions < end[:, None], positions, length)
