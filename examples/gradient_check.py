"""The gradient-check exercise: write a layer's forward and backward, check the backward
numerically, and see what the checker says when the backward is wrong.

    python examples/gradient_check.py
"""
import numpy as np

import minigrad as mg
from minigrad.autograd import Function


class Swish(Function):
    """out = x * sigmoid(x);  d out / dx = s + x s (1 - s), with s = sigmoid(x)."""
    saved_inputs = (0,)

    def forward(self, x):
        return x / (1 + np.exp(-x))

    def backward(self, grad, out):
        (x,) = self.inputs
        s = x.sigmoid()
        return (grad * (s + x * s * (1.0 - s)),)


class BuggySwish(Swish):
    """The classic mistake: forgetting the product rule's second term."""

    def backward(self, grad, out):
        return (grad * self.inputs[0].sigmoid(),)


x = mg.Tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)  # float64

# 1. Compare your backward with a numerical gradient yourself...
analytic = mg.grad(Swish.apply(x).sum(), x)[0].numpy()
numeric = mg.numerical_gradient(lambda t: Swish.apply(t).sum(), x.detach())
print("max |analytic - numerical| =", np.abs(analytic - numeric).max())

# 2. ...or let gradcheck compare the whole Jacobian, element by element.
print("Swish passes gradcheck:", mg.gradcheck(Swish.apply, [x]))
print("Swish passes gradgradcheck:", mg.gradgradcheck(Swish.apply, [x]))

# 3. A wrong backward: the report names the gradient, the worst element, both values, the
#    Jacobian error (whole Jacobian), the element error (worst element) and a diagnosis.
try:
    mg.gradcheck(BuggySwish.apply, [x])
except mg.GradcheckError as error:
    print("BuggySwish fails:\n ", error)

# 4. The same check for every layer and loss in minigrad (also: `minigrad gradcheck`).
from minigrad.recipes.gradient_checks import run  # noqa: E402

for name, jacobian_error, passed in run():
    print(f"  {name:22s} {jacobian_error:9.2e} {'ok' if passed else 'FAIL'}")
