"""conv2d: argument checking and PyTorch's conventions in front of the convolution primitive
(``minigrad.ops.convolution``, where the math and the derivatives live)."""
import numpy as np

from ... import ops
from ...functional import pad
from ...ops.convolution import Geometry
from ...tensor import Tensor, _operands


def pair(value, name, minimum=0):
    """An int or a pair of ints, as a pair; each at least ``minimum``."""
    values = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(values) != 2 or any(not isinstance(v, (int, np.integer)) or v < minimum
                               for v in values):
        kind = "positive" if minimum > 0 else "non-negative"
        raise ValueError(f"{name} must be a {kind} int or a pair of them; got {value!r}")
    return tuple(int(v) for v in values)


def _same_padding(x, kernel, dilation):
    """padding='same': total padding d*(k-1) per axis, split evenly; an odd total puts the
    extra row/column at the bottom/right (PyTorch's choice). Returns the input, explicitly
    padded by that extra one where needed, and the symmetric part."""
    totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
    extra = [t % 2 for t in totals]
    if any(extra):
        x = pad(x, (0, extra[1], 0, extra[0]))
    return x, (totals[0] // 2, totals[1] // 2)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """out[n, o, i, j] = b[o] + sum_{c, u, v} w[o, c, u, v] x_pad[n, gC/G + c, i*s + u*d, j*s + v*d]
    for o in group g (cross-correlation, as PyTorch's F.conv2d): weight (O, C/G, kh, kw),
    stride s, zero padding p (an int, a pair, 'valid' or 'same'), dilation d, G groups.
    The output is (N, O, (H + 2p - d(kh - 1) - 1) // s + 1, likewise for W)."""
    x = input
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"conv2d expects a 4-D input (N, C, H, W) and a 4-D weight "
                         f"(out_channels, C/groups, kh, kw); got input {x.shape} and weight "
                         f"{weight.shape}")
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"groups must be a positive int; got {groups!r}")
    out_channels, kernel = weight.shape[0], weight.shape[2:]
    if x.shape[1] != weight.shape[1] * groups or out_channels % groups:
        raise ValueError(f"conv2d: input {x.shape} (N, C, H, W) and weight {weight.shape} "
                         f"(out_channels, C/groups, kh, kw) with groups={groups}: C must be "
                         f"weight.shape[1] * groups and out_channels divisible by groups")
    if bias is not None and bias.shape != (out_channels,):
        raise ValueError(f"conv2d: bias of shape {bias.shape} must be ({out_channels},), one "
                         f"value per output channel of weight {weight.shape}")
    stride = pair(stride, "stride", 1)
    dilation = pair(dilation, "dilation", 1)
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0, 0)
        elif padding == "same":
            if stride != (1, 1):
                raise ValueError(f"padding='same' is not supported for strided convolutions "
                                 f"(stride {stride})")
            x, padding = _same_padding(x, kernel, dilation)
        else:
            raise ValueError(f"padding must be an int, a pair, 'valid' or 'same'; got {padding!r}")
    padding = pair(padding, "padding")
    geometry = Geometry(stride, padding, dilation, int(groups))
    out_h, out_w = geometry.output_size(x.shape[2], x.shape[3], *kernel)
    if out_h < 1 or out_w < 1:
        raise ValueError(f"conv2d: kernel {tuple(kernel)} with dilation {dilation} is larger "
                         f"than the padded input: input {x.shape}, padding {padding}")
    if x.dtype != weight.dtype:
        x, weight = _operands(x, weight)
    inputs = (x, weight) if bias is None else (x, weight, bias.astype(weight.dtype))
    return ops.Conv2d.apply(*inputs, geometry=geometry)
