"""Elementwise primitives. Each backward is the local derivative times the upstream grad;
broadcasting is undone by the engine, not here."""
import numpy as np

from .. import parallel_kernels
from ..autograd import Function
from ..static.hooks import branch, kernel
from ._common import constant


class Add(Function):
    """out = a + b;  da = g, db = g."""

    def forward(self, a, b):
        return parallel_kernels.apply(np.add, a, b)

    def backward(self, grad, out):
        return grad, grad


class Sub(Function):
    """out = a - b;  da = g, db = -g."""

    def forward(self, a, b):
        return parallel_kernels.apply(np.subtract, a, b)

    def backward(self, grad, out):
        return grad, (-grad if self.needs_input_grad[1] else None)


class Mul(Function):
    """out = a * b;  da = g * b, db = g * a."""
    saved_inputs = (0, 1)

    def forward(self, a, b):
        return parallel_kernels.apply(np.multiply, a, b)

    def saved_values(self):
        return _each_needs_the_other(self.needs_input_grad), False

    def backward(self, grad, out):
        a, b = self.inputs
        need_a, need_b = self.needs_input_grad
        return (grad * b if need_a else None), (grad * a if need_b else None)


class Div(Function):
    """out = a / b;  da = g / b, db = -g * a / b^2 = -(g / b) * out."""
    saved_inputs = (1,)
    saves_output = True
    private_output = True  # PyTorch's div keeps a and b, not out

    def forward(self, a, b):
        return parallel_kernels.apply(np.divide, a, b)

    def saved_values(self):
        return (1,), self.needs_input_grad[1]

    def backward(self, grad, out):
        grad_a = grad / self.inputs[1]
        return grad_a, (-grad_a * out if self.needs_input_grad[1] else None)


class Neg(Function):
    """out = -a;  da = -g."""

    def forward(self, a):
        return -a

    def backward(self, grad, out):
        return (-grad,)


class Pow(Function):
    """out = a ** b;  da = g * b * a^(b-1) (0 where b = 0), db = g * out * ln a (0 where a = 0
    and b >= 0), PyTorch's conventions at the singular points."""
    saved_inputs = (0, 1)
    saves_output = True

    def forward(self, a, b):
        return a ** b

    def saved_values(self):
        return (0, 1), self.needs_input_grad[1]

    def backward(self, grad, out):
        a, b = self.inputs
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            grad_a = grad * b * a ** (b - 1)
            zero_exponent = kernel(np.equal, b.array, 0)
            # Only then: x ** 2 must not pay for a Where node. (A branch: under compile,
            # allowed only when the exponent is a constant.)
            if branch(np.any, zero_exponent):
                grad_a = _zero_where(zero_exponent, grad_a)
        if self.needs_input_grad[1]:
            grad_b = grad * out * a.log()
            zero_base = kernel(_zero_base, a.array, b.array)
            if branch(np.any, zero_base):
                grad_b = _zero_where(zero_base, grad_b)
        return grad_a, grad_b


class Exp(Function):
    """out = e^a;  da = g * out."""
    saves_output = True

    def forward(self, a):
        return np.exp(a)

    def backward(self, grad, out):
        return (grad * out,)


class Log(Function):
    """out = ln a;  da = g / a."""
    saved_inputs = (0,)

    def forward(self, a):
        return np.log(a)

    def backward(self, grad, out):
        return (grad / self.inputs[0],)


class Sqrt(Function):
    """out = sqrt(a);  da = g / (2 out)."""
    saves_output = True

    def forward(self, a):
        return np.sqrt(a)

    def backward(self, grad, out):
        return (grad / (out * 2.0),)


class Abs(Function):
    """out = |a|;  da = g * sign(a) (0 at a = 0, as PyTorch)."""
    saved_inputs = (0,)

    def forward(self, a):
        return np.abs(a)

    def backward(self, grad, out):
        return (grad * constant(kernel(np.sign, self.inputs[0].array)),)


class Tanh(Function):
    """out = tanh a;  da = g * (1 - out^2)."""
    saves_output = True

    def forward(self, a):
        return np.tanh(a)

    def backward(self, grad, out):
        return (grad * (1.0 - out * out),)


class Sigmoid(Function):
    """out = 1 / (1 + e^-a);  da = g * out * (1 - out)."""
    saves_output = True

    def forward(self, a):
        # Two branches so that exp never overflows: e^-a for a >= 0, e^a / (1 + e^a) otherwise.
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)

    def backward(self, grad, out):
        return (grad * (out * (1.0 - out)),)


class ReLU(Function):
    """out = max(a, 0);  da = g * [a > 0] (0 at a = 0, as PyTorch)."""
    saves_output = True

    def forward(self, a):
        return parallel_kernels.apply(np.maximum, a, 0)

    def backward(self, grad, out):
        return (_masked(grad, kernel(_positive, out.array)),)


class Clamp(Function):
    """out = min(max(a, low), high);  da = g * [low <= a <= high] (inclusive, as PyTorch)."""
    saved_inputs = (0,)

    def forward(self, a, low=None, high=None):
        self.low, self.high = low, high
        return np.clip(a, low, high)

    def backward(self, grad, out):
        return (_masked(grad, kernel(_inside, self.inputs[0].array, self.low, self.high)),)


class Maximum(Function):
    """out = max(a, b) elementwise;  the gradient goes to the larger input and is split
    evenly on ties (PyTorch's convention)."""
    saved_inputs = (0, 1)
    _pick, _wins = staticmethod(np.maximum), staticmethod(np.greater)

    def forward(self, a, b):
        return self._pick(a, b)

    def backward(self, grad, out):
        share_a, share_b = kernel(_shares, self._wins, self.inputs[0].array, self.inputs[1].array,
                                  grad.dtype)
        return grad * constant(share_a), grad * constant(share_b)


class Minimum(Maximum):
    """out = min(a, b) elementwise;  ties split the gradient evenly."""
    _pick, _wins = staticmethod(np.minimum), staticmethod(np.less)


class Where(Function):
    """out = cond ? a : b;  da = cond ? g : 0, db = cond ? 0 : g (cond carries no gradient)."""
    saved_inputs = (0,)

    def forward(self, cond, a, b):
        return np.where(cond, a, b)

    def backward(self, grad, out):
        cond = self.inputs[0]
        zero = constant(np.zeros((), dtype=grad.dtype))
        need_a, need_b = self.needs_input_grad[1:]
        return (None, Where.apply(cond, grad, zero) if need_a else None,
                Where.apply(cond, zero, grad) if need_b else None)


class AsType(Function):
    """out = a converted to ``dtype``;  da = g converted back."""

    def forward(self, a, dtype):
        self.input_dtype = a.dtype
        return a.astype(dtype)

    def backward(self, grad, out):
        return (grad.astype(self.input_dtype),)


class Clone(Function):
    """out = a copy of a;  da = g."""

    def forward(self, a):
        return a.copy()

    def backward(self, grad, out):
        return (grad,)


def _each_needs_the_other(needs_input_grad) -> tuple:
    """The inputs a bilinear op's backward reads: a's gradient needs b, b's needs a."""
    need_a, need_b = needs_input_grad[0], needs_input_grad[1]
    return (1, 0) if need_a and need_b else (1,) if need_a else (0,) if need_b else ()


def _zero_base(a, b):
    return (a == 0) & (b >= 0)


def _inside(a, low, high):
    """[low <= a <= high], either bound optional."""
    inside = np.ones(a.shape, dtype=bool)
    if low is not None:
        inside &= a >= low
    if high is not None:
        inside &= a <= high
    return inside


def _shares(wins, a, b, dtype):
    """Each input's share of the gradient of max(a, b) (or min): 1 where it wins, 1/2 on ties."""
    share_a = wins(a, b) + 0.5 * (a == b)
    return share_a.astype(dtype), (1 - share_a).astype(dtype)


def _positive(a):
    """a > 0, the mask of ReLU's gradient (a kernel of its own, so a replay recomputes it)."""
    return parallel_kernels.apply(np.greater, a, 0)


def _masked(grad, keep: np.ndarray):
    """``grad`` where ``keep`` holds, else 0: the Mul primitive applied to the bool mask
    directly (NumPy's float * bool is a float, and about three times faster than np.where);
    going through ``*`` would first convert the mask to a float tensor in a node of its own."""
    return Mul.apply(grad, constant(keep))


def _zero_where(mask: np.ndarray, grad):
    """``grad`` with zeros where ``mask`` holds: one Where node, with no dtype conversion of
    the mask (a bool times a float would need one)."""
    return Where.apply(constant(mask), constant(np.zeros((), dtype=grad.dtype)), grad)
