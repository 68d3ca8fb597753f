"""The transposed convolution (a "deconvolution", the upsampling layer of DCGAN decoders):
the adjoint of conv2d, i.e. exactly conv2d's gradient for its input, which is the primitive
``ops.Conv2dInput`` (so the gradients of this layer are conv2d itself and its weight
gradient).

Each input pixel scatters weight-scaled copies of the kernel into the output, s pixels apart:
out size = (in - 1) s - 2 p + d (k - 1) + output_padding + 1.
"""
from ... import ops
from ...ops.convolution import Geometry
from ...tensor import Tensor, _operands
from .conv import pair


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """PyTorch's F.conv_transpose2d: weight (in_channels, out_channels / groups, kh, kw)."""
    if input.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"conv_transpose2d expects a 4-D input (N, C, H, W) and a 4-D weight "
                         f"(in_channels, out_channels/groups, kh, kw); got input {input.shape} "
                         f"and weight {weight.shape}")
    if input.shape[1] != weight.shape[0] or weight.shape[0] % groups:
        raise ValueError(f"conv_transpose2d: input {input.shape} has {input.shape[1]} channels "
                         f"but weight {weight.shape} expects {weight.shape[0]} (divisible by "
                         f"groups={groups})")
    stride, padding = pair(stride, "stride", 1), pair(padding, "padding")
    dilation, output_padding = pair(dilation, "dilation", 1), pair(output_padding,
                                                                   "output_padding")
    if any(op >= max(s, d) for op, s, d in zip(output_padding, stride, dilation)):
        raise ValueError(f"conv_transpose2d: output_padding {output_padding} must be smaller "
                         f"than stride {stride} or dilation {dilation}")
    kh, kw = weight.shape[2:]
    out_h, out_w = ((size - 1) * s - 2 * p + d * (k - 1) + op + 1 for size, s, p, d, k, op in
                    zip(input.shape[2:], stride, padding, dilation, (kh, kw), output_padding))
    if out_h < 1 or out_w < 1:
        raise ValueError(f"conv_transpose2d: padding {padding} leaves no output for input "
                         f"{input.shape} and kernel {(kh, kw)}")
    if input.dtype != weight.dtype:
        input, weight = _operands(input, weight)
    out_channels = weight.shape[1] * groups
    geometry = Geometry(stride, padding, dilation, int(groups))
    out = ops.Conv2dInput.apply(input, weight,
                                input_shape=(input.shape[0], out_channels, out_h, out_w),
                                geometry=geometry)
    return out if bias is None else out + bias.astype(out.dtype).reshape(1, -1, 1, 1)
