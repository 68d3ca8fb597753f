"""Winograd's F(2x2, 3x3) for stride-1 3x3 convolutions (Lavin and Gray, 2016).

A 2x2 block of outputs of a 3x3 filter g reads a 4x4 tile d of the input, and

    Y = A^T [ (G g G^T) * (B^T d B) ] A          (* elementwise, over the 4x4 tile)

    B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]
    G   = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]
    A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]

Summed over input channels, the elementwise product becomes, for each of the 16 tile
positions, one GEMM  M[k] (O, T*N) = U[k] (O, C) @ V[k] (C, T*N)  over every tile of the
batch: 16 * O * C multiplications per 2x2 outputs instead of 36 * O * C, 2.25x fewer. The
transforms are small constant matrices; written as Kronecker products (a 16x16, a 4x16 and a
16x9 matrix) they are GEMMs too, on contiguous operands, instead of dozens of NumPy passes.

Its two adjoints are Winograd convolutions as well, so the three convolution primitives keep
their structure (``convolution.py``):

    input gradient   dx = the same convolution of g (padded by 2 - p) with the kernel
                     flipped in space and with its channel axes swapped;
    weight gradient  dW = G^T [ sum over tiles of (A g A^T) * (B^T d B) ] G: 16 GEMMs
                     (O, T*N) @ (T*N, C), the input's tiles V reused from the forward.

Numerics: B and A hold only 0 and +-1 and G only halves, so the transforms round little;
measured against a float64 direct convolution the float32 error is at most a few units of
float32 rounding of sum |w| |x| (``docs/speed.md``; tested in tests/test_winograd.py).
Whether it pays depends on the layer's shape (``pays``): the transforms cost memory passes
that only wide layers amortise.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

_BT = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], dtype=np.float64)
_G = np.array([[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]], dtype=np.float64)
_AT = np.array([[1, 1, 1, 0], [0, 1, -1, -1]], dtype=np.float64)
# Row-major vec(L X R^T) = (L kron R) vec(X): each two-sided transform is one matrix.
_TRANSFORMS = {"input": np.kron(_BT, _BT), "output": np.kron(_AT, _AT),
               "weight": np.kron(_G, _G)}


def _transform(name, dtype):
    return _TRANSFORMS[name].astype(dtype)  # exact: the entries are 0, +-1 and +-1/2, 1/4


def applies(input_shape, weight_shape, geometry) -> bool:
    """The convolutions F(2x2, 3x3) computes: 3x3, stride 1, no dilation, one group, and
    padding at most 2 (so that the input gradient's padding 2 - p is not negative)."""
    return (tuple(weight_shape[2:]) == (3, 3) and geometry.stride == (1, 1)
            and geometry.dilation == (1, 1) and geometry.groups == 1
            and all(0 <= p <= 2 for p in geometry.padding) and len(input_shape) == 4)


def pays(channels_in, channels_out) -> bool:
    """Whether Winograd beats im2col + GEMM on this layer (forward and both gradients
    together), measured by ``python -m benchmarks.winograd`` on one core: the 16 GEMMs have
    inner dimension C and the transforms cost passes over C and O planes, so it pays once
    both channel counts are wide; the MNIST CNN's 1->16 and 16->32 layers stay on GEMM."""
    return channels_in >= 48 and channels_out >= 48


def use(input_shape, weight_shape, geometry) -> bool:
    """The rule the convolution primitives follow: applicable, and measured to pay."""
    return (applies(input_shape, weight_shape, geometry)
            and pays(weight_shape[1], weight_shape[0]))


def _tiles(height, width, padding):
    """(tiles down, tiles across) covering the output of a padded 3x3 convolution."""
    out_h, out_w = height + 2 * padding[0] - 2, width + 2 * padding[1] - 2
    return out_h, out_w, (out_h + 1) // 2, (out_w + 1) // 2


def input_tiles(x, padding):
    """V (16, C, T*N) = B^T d B of every 4x4 tile d (stride 2) of the zero-padded input,
    tiles ordered (tile row, tile column, image) like the columns of im2col."""
    n, c, height, width = x.shape
    _, _, tiles_h, tiles_w = _tiles(height, width, padding)
    ph, pw = padding
    # Padded to whole tiles: a last, odd output row or column reads zeros and is cropped.
    source = np.zeros((c, 2 * tiles_h + 2, 2 * tiles_w + 2, n), dtype=x.dtype)
    source[:, ph:ph + height, pw:pw + width] = x.transpose(1, 2, 3, 0)
    s_c, s_h, s_w, s_n = source.strides
    tiles = as_strided(source, (4, 4, c, tiles_h, tiles_w, n),
                       (s_h, s_w, s_c, 2 * s_h, 2 * s_w, s_n), writeable=False)
    tiles = np.ascontiguousarray(tiles).reshape(16, -1)
    return (_transform("input", x.dtype) @ tiles).reshape(16, c, tiles_h * tiles_w * n)


def forward(x, weight, padding, tiles=None):
    """out (N, O, out_h, out_w) of the 3x3 stride-1 convolution, as a view of CHWN memory
    (the layout of ``convolution.conv_forward``); ``tiles`` = input_tiles(x, padding)."""
    n, c, height, width = x.shape
    o = weight.shape[0]
    out_h, out_w, tiles_h, tiles_w = _tiles(height, width, padding)
    if tiles is None:
        tiles = input_tiles(x, padding)
    # U (16, O, C) = G w G^T for every (output, input) channel pair.
    u = (_transform("weight", weight.dtype) @ weight.reshape(o * c, 9).T).reshape(16, o, c)
    products = np.matmul(u, tiles)  # the 16 GEMMs: (16, O, T*N)
    blocks = (_transform("output", x.dtype) @ products.reshape(16, -1))
    blocks = blocks.reshape(2, 2, o, tiles_h, tiles_w, n)
    out = np.empty((o, tiles_h, 2, tiles_w, 2, n), dtype=x.dtype)
    out[...] = blocks.transpose(2, 3, 0, 4, 1, 5)  # each 2x2 block into place
    out = out.reshape(o, 2 * tiles_h, 2 * tiles_w, n)[:, :out_h, :out_w]
    return out.transpose(3, 0, 1, 2)


def input_grad(g, weight, padding):
    """dx = the stride-1 convolution of g, padded by 2 - p, with w flipped in space and its
    channel axes swapped: the adjoint of ``forward`` in x."""
    flipped = np.ascontiguousarray(weight.transpose(1, 0, 2, 3)[:, :, ::-1, ::-1])
    return forward(g, flipped, (2 - padding[0], 2 - padding[1]))


def weight_grad(x, g, padding, tiles=None):
    """dW (O, C, 3, 3) = G^T [ sum over tiles of (A^T-adjoint of g) * V ] G: the adjoint of
    ``forward`` in w, with V = input_tiles(x, padding) (the forward's, when given)."""
    n, c, height, width = x.shape
    o = g.shape[1]
    out_h, out_w, tiles_h, tiles_w = _tiles(height, width, padding)
    if tiles is None:
        tiles = input_tiles(x, padding)
    # The output gradient cut into 2x2 blocks (zeros past an odd edge), (2, 2, O, T*N).
    blocks = np.zeros((o, 2 * tiles_h, 2 * tiles_w, n), dtype=g.dtype)
    blocks[:, :out_h, :out_w] = g.transpose(1, 2, 3, 0)
    s_o, s_h, s_w, s_n = blocks.strides
    blocks = as_strided(blocks, (2, 2, o, tiles_h, tiles_w, n),
                        (s_h, s_w, s_o, 2 * s_h, 2 * s_w, s_n), writeable=False)
    blocks = np.ascontiguousarray(blocks).reshape(4, -1)
    spread = (_transform("output", g.dtype).T @ blocks).reshape(16, o, -1)  # (A g A^T)
    products = np.matmul(spread, tiles.transpose(0, 2, 1))  # the 16 GEMMs: (16, O, C)
    grad = _transform("weight", g.dtype).T @ products.reshape(16, o * c)  # (9, O*C)
    return np.ascontiguousarray(grad.reshape(3, 3, o, c).transpose(2, 3, 0, 1))
