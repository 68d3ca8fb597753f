"""A custom autograd Function (the Legendre polynomial P3), in the style of PyTorch's
"Defining new autograd functions" example: fit y = sin(x) with a + b P3(c + d x)."""
import math

import torch


class LegendrePolynomial3(torch.autograd.Function):
    """P3(x) = (5 x^3 - 3 x) / 2, with its derivative written by hand: P3'(x) = 1.5 (5 x^2 - 1)."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


class ScaledExp(torch.autograd.Function):
    """exp(k x) for a Python number k: a non-tensor argument gets a None gradient."""

    @staticmethod
    def forward(ctx, x, k):
        result = torch.exp(k * x)
        ctx.k = k
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        assert ctx.needs_input_grad == (True, False)
        return grad_output * ctx.k * result, None


dtype = torch.float
device = torch.device("cpu")
torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

# Weights near the answer: P3 makes plain gradient descent unstable from far away.
a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)

learning_rate = 5e-6
first_loss = None
for t in range(2000):
    P3 = LegendrePolynomial3.apply
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    first_loss = first_loss if first_loss is not None else loss.item()
    if t % 500 == 499:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f"Result: y = {a.item()} + {b.item()} * P3({c.item()} + {d.item()} x)")
assert loss.item() < 0.5 * first_loss, (first_loss, loss.item())

# The graph the custom function made, seen through grad_fn.
out = LegendrePolynomial3.apply(c + d * x)
print(out.grad_fn.name(), [type(f).__name__ for f, _ in out.grad_fn.next_functions])
assert out.grad_fn.name() == "LegendrePolynomial3Backward"
assert out.grad_fn.next_functions[0][0] is not None

# Both backwards agree with finite differences (in float64, as gradcheck wants).
inputs = torch.randn(5, dtype=torch.double, requires_grad=True)
assert torch.autograd.gradcheck(LegendrePolynomial3.apply, (inputs,), eps=1e-6, atol=1e-4)
assert torch.autograd.gradcheck(lambda t: ScaledExp.apply(t, 0.7), (inputs,), eps=1e-6, atol=1e-4)

# torch.autograd.grad: d/dx sum(P3(x)) = P3'(x).
grad, = torch.autograd.grad(LegendrePolynomial3.apply(inputs).sum(), inputs)
assert torch.allclose(grad, 1.5 * (5 * inputs.detach() ** 2 - 1))
print("custom function: OK")
