"""The 1-D convolution and pooling of sequences (N, C, L), as the 2-D ones on an image of
height 1: a kernel of width k is a (1, k) kernel, so the math, the gradients and the speed
are conv2d's and the pools'. An unbatched (C, L) input gives a (C, L') output, as in PyTorch.
"""
from ...tensor import Tensor
from .conv import conv2d
from .pooling import avg_pool2d, max_pool2d


def _as_image(name, input: Tensor):
    if input.ndim not in (2, 3):
        raise ValueError(f"{name}: expected a 2-D (C, L) or 3-D (N, C, L) input; got shape "
                         f"{input.shape}")
    batched = input if input.ndim == 3 else input.unsqueeze(0)
    return batched.unsqueeze(2), input.ndim == 2  # (N, C, 1, L)


def _as_sequence(output: Tensor, unbatched: bool) -> Tensor:
    output = output.squeeze(2)
    return output.squeeze(0) if unbatched else output


def _single(value, name):
    value = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    if not isinstance(value, (int, str)):
        raise ValueError(f"{name} must be an int (or a 1-tuple); got {value!r}")
    return value


def conv1d(input: Tensor, weight: Tensor, bias: Tensor = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """out[n, o, i] = b[o] + sum_{c, u} w[o, c, u] x_pad[n, c, i*s + u*d] (cross-correlation),
    weight (out_channels, in_channels / groups, k); ``padding`` an int, 'valid' or 'same'."""
    if weight.ndim != 3:
        raise ValueError(f"conv1d expects a 3-D weight (out_channels, C/groups, k); got "
                         f"{weight.shape}")
    image, unbatched = _as_image("conv1d", input)
    padding = _single(padding, "padding")
    out = conv2d(image, weight.unsqueeze(2), bias, (1, _single(stride, "stride")),
                 padding if isinstance(padding, str) else (0, padding),
                 (1, _single(dilation, "dilation")), groups)
    return _as_sequence(out, unbatched)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor:
    """out[n, c, i] = max_{u < k} x_pad[n, c, i*s + u] (stride defaults to kernel_size)."""
    _defaults_only("max_pool1d", dilation=(dilation, 1), ceil_mode=(ceil_mode, False),
                   return_indices=(return_indices, False))
    image, unbatched = _as_image("max_pool1d", input)
    kernel = _single(kernel_size, "kernel_size")
    out = max_pool2d(image, (1, kernel), (1, kernel if stride is None else _single(stride,
                                                                                  "stride")),
                     (0, _single(padding, "padding")))
    return _as_sequence(out, unbatched)


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """out[n, c, i] = (1 / k) sum_{u < k} x_pad[n, c, i*s + u], zero padding counted."""
    _defaults_only("avg_pool1d", ceil_mode=(ceil_mode, False),
                   count_include_pad=(count_include_pad, True))
    image, unbatched = _as_image("avg_pool1d", input)
    kernel = _single(kernel_size, "kernel_size")
    out = avg_pool2d(image, (1, kernel), (1, kernel if stride is None else _single(stride,
                                                                                  "stride")),
                     (0, _single(padding, "padding")))
    return _as_sequence(out, unbatched)


def _defaults_only(name, **options):
    """Refuse (rather than ignore) the options the 2-D pools do not have yet."""
    for option, (value, default) in options.items():
        if value != default:
            raise ValueError(f"{name}: {option}={value!r} is not supported by minigrad (only "
                             f"{option}={default!r})")
