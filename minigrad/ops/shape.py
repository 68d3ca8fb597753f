"""Shape primitives: they move elements around, so each backward moves them back."""
import numpy as np

from ..autograd import Function


class Reshape(Function):
    """out = a with a new shape (same elements, row-major order);  da = g reshaped back."""

    def forward(self, a, shape):
        self.input_shape, self.shape = a.shape, shape
        try:
            return a.reshape(shape)
        except ValueError:
            raise ValueError(f"cannot reshape a tensor of shape {a.shape} ({a.size} elements) "
                             f"into shape {tuple(shape)}") from None

    def backward(self, grad, out):
        return (grad.reshape(self.input_shape),)

    # Often a view of the input: an in-place change of it is made to the input instead.
    is_view = True

    def replay(self, base):
        return Reshape.apply(base, shape=self.shape)

    def place(self, base, value):
        return value.reshape(self.input_shape)


class Permute(Function):
    """out = a with its axes reordered by ``dims``;  da = g permuted by the inverse order."""

    def forward(self, a, dims):
        if sorted(d % max(a.ndim, 1) for d in dims) != list(range(a.ndim)):
            raise ValueError(f"permute({', '.join(map(str, dims))}) is not a permutation of the "
                             f"{a.ndim} dimensions of a tensor of shape {a.shape}")
        self.dims = dims
        return np.transpose(a, dims)

    def backward(self, grad, out):
        return (grad.permute(*np.argsort([d % grad.ndim for d in self.dims]).tolist()),)

    # A view of the input: an in-place change of it is made to the input instead.
    is_view = True

    def replay(self, base):
        return Permute.apply(base, dims=self.dims)

    def place(self, base, value):
        return value.permute(*np.argsort([d % value.ndim for d in self.dims]).tolist())


class Cat(Function):
    """out = the inputs joined along ``dim``;  each input's gradient is its slice of g."""

    def forward(self, *arrays, dim=0):
        self.dim = dim % arrays[0].ndim
        self.sizes = [a.shape[self.dim] for a in arrays]
        return np.concatenate(arrays, axis=self.dim)

    def backward(self, grad, out):
        grads, start = [], 0
        for size, needed in zip(self.sizes, self.needs_input_grad):
            index = (slice(None),) * self.dim + (slice(start, start + size),)
            grads.append(grad[index] if needed else None)
            start += size
        return tuple(grads)


class Pad(Function):
    """out = a padded with ``value``; ``pad`` lists (before, after) pairs from the last
    dimension backwards, as PyTorch's F.pad;  da = the un-padded slice of g."""

    def forward(self, a, pad, value=0.0):
        if len(pad) % 2 or len(pad) // 2 > a.ndim:
            raise ValueError(f"pad {pad} must have an even length of at most 2 * {a.ndim} "
                             f"for a tensor of shape {a.shape}")
        if any(p < 0 for p in pad):
            raise ValueError(f"pad {pad} has negative sizes; only non-negative padding is supported")
        widths = [(0, 0)] * a.ndim
        for i in range(len(pad) // 2):
            widths[a.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
        self.slices = tuple(slice(before, before + n) for (before, _), n in zip(widths, a.shape))
        return np.pad(a, widths, constant_values=value)

    def backward(self, grad, out):
        return (grad[self.slices],)
