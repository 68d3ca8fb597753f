"""The less common activations, each a composition of primitives: the hard (piecewise
linear) approximations, the shrinkage functions, the scaled exponentials, softmin and GLU,
with PyTorch's definitions and defaults. ``inplace=True`` changes the input itself, recorded
in the graph (``Tensor._update``), as PyTorch's in-place variants do."""
from ...functional import softmax, where
from ...tensor import Tensor
from .activation import hardtanh

# SELU's constants (Klambauer et al., 2017), as PyTorch spells them.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6: 0 below -3, 1 above 3, linear in between."""
    if inplace:
        return input._update(hardsigmoid)
    return relu6(input + 3.0) / 6.0


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6 (Howard et al., 2019, MobileNetV3)."""
    if inplace:
        return input._update(hardswish)
    return input * hardsigmoid(input)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else ``value``."""
    if inplace:
        return input._update(lambda t: where(t > threshold, t, value))
    return where(input > threshold, input, value)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    return where(input.abs() > lambd, input, 0.0)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 in between (the proximal map of
    lambd |x|)."""
    if lambd < 0:
        raise ValueError(f"softshrink: lambd must be non-negative; got {lambd}")
    return where(input > lambd, input - lambd, where(input < -lambd, input + lambd, 0.0))


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    return input - input.tanh()


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (input.abs() + 1.0)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha (e^(x / alpha) - 1)) (Barron, 2017)."""
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0 (it divides x)")
    if inplace:
        return input._update(lambda t: celu(t, alpha))
    # exp of the clamped input: the discarded branch must not overflow (0 * inf = nan).
    negative = ((input.clamp(max=0.0) / alpha).exp() - 1.0) * alpha
    return where(input > 0, input, negative)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale (max(0, x) + min(0, alpha (e^x - 1))) with PyTorch's alpha and scale, which
    keep activations at zero mean and unit variance (self-normalising networks)."""
    if inplace:
        return input._update(selu)
    negative = (input.clamp(max=0.0).exp() - 1.0) * SELU_ALPHA
    return where(input > 0, input, negative) * SELU_SCALE


def softmin(input: Tensor, dim=None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """softmax(-x) along ``dim``."""
    if dim is None:  # PyTorch's legacy implicit choice: dim 0 for 0-, 1- and 3-D, else 1
        dim = 0 if input.ndim in (0, 1, 3) else 1
    if dtype is not None:
        input = input.to(dtype)
    return softmax(-input, dim)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a * sigmoid(b), with a and b the two halves of ``input`` along ``dim`` (Dauphin et
    al., 2017)."""
    size = input.shape[dim]
    if size % 2:
        raise ValueError(f"glu: halving only works on an even dimension; dimension {dim} of "
                         f"shape {input.shape} has size {size}")
    first, second = input.split(size // 2, dim)
    return first * second.sigmoid()
