"""ConvTranspose2d against its definition (each input pixel scatters a weighted kernel into
the output, stride s apart), in float64, with gradchecks."""
import math

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(23)


def transpose_reference(x, w, b, stride, padding, output_padding, groups, dilation):
    """out[n, g O/G + o, i s + u d - p, j s + v d - p] += x[n, c, i, j] w[c, o, u, v]."""
    n, c_in, h, wd = x.shape
    per_group_in, per_group_out, kh, kw = c_in // groups, w.shape[1], w.shape[2], w.shape[3]
    out_h = (h - 1) * stride - 2 * padding + dilation * (kh - 1) + output_padding + 1
    out_w = (wd - 1) * stride - 2 * padding + dilation * (kw - 1) + output_padding + 1
    full = np.zeros((n, per_group_out * groups, out_h + 2 * padding, out_w + 2 * padding))
    for c in range(c_in):
        g = c // per_group_in
        for o in range(per_group_out):
            for u in range(kh):
                for v in range(kw):
                    full[:, g * per_group_out + o,
                         u * dilation:u * dilation + (h - 1) * stride + 1:stride,
                         v * dilation:v * dilation + (wd - 1) * stride + 1:stride] += \
                        x[:, c] * w[c, o, u, v]
    out = full[:, :, padding:padding + out_h, padding:padding + out_w]
    return out + (0 if b is None else b[None, :, None, None])


@pytest.mark.parametrize("stride,padding,output_padding,groups,dilation", [
    (1, 0, 0, 1, 1), (2, 0, 0, 1, 1), (2, 1, 1, 1, 1), (3, 1, 2, 1, 1), (1, 0, 0, 2, 2)])
def test_conv_transpose_matches_the_scatter_and_gradchecks(stride, padding, output_padding,
                                                            groups, dilation):
    x = rng.standard_normal((2, 4, 3, 4))
    w = rng.standard_normal((4, 6 // groups, 3, 3))
    b = rng.standard_normal(6)
    out = F.conv_transpose2d(leaf(x), leaf(w), leaf(b), stride, padding, output_padding, groups,
                             dilation)
    np.testing.assert_allclose(out.array, transpose_reference(x, w, b, stride, padding,
                                                              output_padding, groups, dilation),
                               rtol=1e-12, atol=1e-12)
    assert mg.gradcheck(lambda *t: F.conv_transpose2d(*t, stride, padding, output_padding,
                                                      groups, dilation),
                        [leaf(x[:1]), leaf(w), leaf(b)])


def test_layer_init_output_size_and_errors():
    layer = nn.ConvTranspose2d(4, 6, 3, stride=2)
    bound = 1 / math.sqrt(6 * 9)  # PyTorch's fan-in: out_channels / groups * kh * kw
    assert layer.weight.shape == (4, 6, 3, 3) and np.abs(layer.weight.array).max() <= bound
    assert layer(mg.randn(1, 4, 5, 5)).shape == (1, 6, 11, 11)
    assert layer(mg.randn(1, 4, 5, 5), output_size=(12, 12)).shape == (1, 6, 12, 12)
    with pytest.raises(ValueError, match=r"output_padding \(2, 2\) must be smaller than stride"):
        F.conv_transpose2d(mg.randn(1, 4, 5, 5), layer.weight, stride=2, output_padding=2)
    with pytest.raises(ValueError, match=r"has 3 channels but weight \(4, 6, 3, 3\) expects 4"):
        layer(mg.randn(1, 3, 5, 5))
    with pytest.raises(ValueError, match="Only 'zeros' padding mode"):
        nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect")
