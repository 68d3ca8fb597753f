"""The error function, which NumPy lacks and the exact GELU needs, accurate to float64."""
import math

import numpy as np

from .. import parallel_kernels
from ..autograd import Function
from ..grad_mode import _grad_mode
from ._common import constant

_TWO_OVER_SQRT_PI = 2.0 / np.sqrt(np.pi)
_SERIES_TERMS, _FRACTION_DEPTH = 60, 80


# erfc(z) ~ t exp(-z^2 + P(t)), t = 1 / (1 + z/2), z >= 0: the Chebyshev fit of Press et
# al., Numerical Recipes (2nd ed., sec. 6.2), fractional error below 1.2e-7 for every z.
# P's coefficients, constant term first:
_ERFC_FIT = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807,
             -1.13520398, 1.48851587, -0.82215223, 0.17087277)


def erf(x: np.ndarray) -> np.ndarray:
    """erf(x) = 2/sqrt(pi) * integral_0^x e^(-t^2) dt: to float64 precision for float64
    input; for float32 (and float16) input, to within one float32 ulp and many times faster
    (``_erf_single``), which is what the exact GELU runs on in a float32 model."""
    if np.asarray(x).dtype in (np.float32, np.float16):
        return _erf_single(x)
    return _erf_double(x)


_BLOCK = 16384  # elements per block: the float64 temporaries of one block stay in L2 cache


def _erf_single(x: np.ndarray) -> np.ndarray:
    """erf to float32 precision (``_erf_block``), block by block: 45 passes over a block that
    stays in cache ran 2.7x faster than over a whole 131,072-element activation (measured
    in docs/speed.md); large inputs are also split over the thread pool (every element is
    computed alike, so the bits never depend on the split)."""
    x = np.asarray(x)
    flat = np.ascontiguousarray(x).reshape(-1)
    out = np.empty(flat.shape, x.dtype)
    parallel_kernels.run(_erf_blocks, out, flat)
    return out.reshape(x.shape)


def _erf_blocks(flat, out):
    for start in range(0, flat.size, _BLOCK):
        out[start:start + _BLOCK] = _erf_block(flat[start:start + _BLOCK])


def _erf_block(x: np.ndarray) -> np.ndarray:
    """erf to float32 precision, in float64 arithmetic, about 45 in-place passes.

    |x| < 0.5: the alternating Maclaurin series 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1)),
    9 terms (the next is below 1e-10), which keeps the relative accuracy where erf is tiny;
    written as x P(x^2) and evaluated by Horner's rule into one buffer.
    |x| >= 0.5: 1 - erfc(|x|) from the Chebyshev fit above (relative error of erf < 1.2e-7).
    """
    x64 = np.asarray(x, dtype=np.float64)
    a = np.abs(x64)
    small = np.minimum(a, 0.5)
    square = np.multiply(small, small)
    series = np.multiply(square, _SERIES_SINGLE[-1])
    for coefficient in _SERIES_SINGLE[-2:0:-1]:  # Horner's rule, in place
        series += coefficient
        series *= square
    series += _SERIES_SINGLE[0]
    series *= small
    large = np.maximum(a, 0.5, out=small)  # small is not needed any more
    t = np.multiply(large, 0.5)
    t += 1.0
    np.divide(1.0, t, out=t)
    poly = np.multiply(t, _ERFC_FIT[-1])
    for coefficient in _ERFC_FIT[-2:0:-1]:
        poly += coefficient
        poly *= t
    poly += _ERFC_FIT[0]
    np.multiply(large, large, out=square)
    poly -= square
    np.exp(poly, out=poly)
    poly *= t  # erfc(|x|)
    np.subtract(1.0, poly, out=poly)
    result = np.where(a < 0.5, series, poly)
    return np.copysign(result, x64, out=result).astype(np.asarray(x).dtype)


# The Maclaurin coefficients of erf(x) / x in powers of x^2: 2/sqrt(pi) (-1)^n / (n! (2n+1)).
_SERIES_SINGLE = tuple(_TWO_OVER_SQRT_PI * (-1) ** n / (np.prod(np.arange(1, n + 1)) * (2 * n + 1))
                       for n in range(9))


def _erf_double(x: np.ndarray) -> np.ndarray:
    """erf(x) = 2/sqrt(pi) * integral_0^x e^(-t^2) dt, vectorised, relative error ~1e-15.

    |x| < 2.5: the series erf(x) = 2/sqrt(pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)),
    whose terms are all positive, so nothing cancels. |x| >= 2.5: erfc from its continued
    fraction erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
    evaluated from the tail. Each loop runs over terms, never over elements.
    """
    x64 = np.asarray(x, dtype=np.float64)
    a = np.abs(x64)
    small = np.minimum(a, 2.5)
    term = small.copy()
    total = small.copy()
    square = small * small
    for n in range(1, _SERIES_TERMS):
        term = term * (2.0 * square / (2 * n + 1))
        total += term
    series = _TWO_OVER_SQRT_PI * np.exp(-square) * total

    large = np.maximum(a, 2.5)
    fraction = large.copy()
    for k in range(_FRACTION_DEPTH, 0, -1):
        fraction = large + (k / 2.0) / fraction
    erfc = np.exp(-large * large) / np.sqrt(np.pi) / fraction
    result = np.where(a < 2.5, series, 1.0 - erfc)
    return (np.sign(x64) * result).astype(np.result_type(x, np.float32), copy=False)


class Erf(Function):
    """out = erf(a);  da = g * 2/sqrt(pi) * e^(-a^2)."""
    saved_inputs = (0,)

    def forward(self, a):
        return erf(a).astype(a.dtype, copy=False)

    def backward(self, grad, out):
        a = self.inputs[0]
        return (grad * ((-(a * a)).exp() * _TWO_OVER_SQRT_PI),)


class Gelu(Function):
    """out = x Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2 (the exact GELU, PyTorch's
    default);  dx = g (Phi(x) + x phi(x)), phi(x) = e^(-x^2 / 2) / sqrt(2 pi).

    Fused: one node and a few in-place passes instead of five nodes (scale, erf, add, two
    products) and their five arrays; the same float32 values as that composition (the same
    operations in the same order). The gradient is written with tensor operations, so it is
    differentiable again."""
    saved_inputs = (0,)

    def forward(self, x):
        cdf = erf(np.multiply(x, _INV_SQRT2)).astype(x.dtype, copy=False)
        cdf += 1.0
        self.cdf = cdf  # 2 Phi(x): backward reads it instead of computing erf again
        half = np.multiply(x, 0.5)
        return np.multiply(half, cdf)

    def backward(self, grad, out):
        x = self.inputs[0]
        if _grad_mode.enabled:  # create_graph: Phi as an op of x, to be differentiated again
            cdf = (Erf.apply(x * _INV_SQRT2) + 1.0) * 0.5
        else:
            cdf = constant(self.cdf) * 0.5
        pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
        return (grad * (cdf + x * pdf),)


# Python floats, not NumPy scalars: NumPy keeps float32 arrays float32 only with the former.
_INV_SQRT2, _INV_SQRT_2PI = 1.0 / math.sqrt(2.0), 1.0 / math.sqrt(2.0 * math.pi)


class Softplus(Function):
    """out = ln(1 + e^a), computed as logaddexp(0, a) so it neither overflows nor loses the
    small values;  da = g * sigmoid(a)."""
    saved_inputs = (0,)

    def forward(self, a):
        return np.logaddexp(np.zeros((), dtype=a.dtype), a)

    def backward(self, grad, out):
        return (grad * self.inputs[0].sigmoid(),)
