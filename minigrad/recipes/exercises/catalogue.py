"""The exercises, in order of difficulty: one row each. A row names the file's entry point
(the Function or Module the check calls), its arguments, the inputs it is checked on (several
shapes and the edge cases that catch real bugs: broadcast inputs, a batch of 1, zeros, ties,
repeated indices), whether second derivatives are checked, the hints, and where minigrad
does the same thing. The skeleton and the reference are the file solutions/NAME.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Case:
    """One check: ``make(rng)`` gives the arguments. A float array becomes a float64 tensor
    that requires grad, an integer array a tensor without grad, anything else is passed as
    is (a dimension, a probability). ``module`` holds a Module exercise's constructor keywords."""
    label: str
    make: Callable[[np.random.Generator], list]
    module: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Exercise:
    name: str
    title: str                       # one line, for ``list``
    entry: str                       # the class the check calls
    arguments: tuple                 # names of entry's arguments, for the reports
    cases: tuple
    hints: tuple
    where: str                       # the same thing in minigrad's own code
    # backward written with Tensor operations on saved inputs/outputs: gradgradcheck too (an
    # intermediate computed in forward, as normalisations save, is a constant to the graph)
    second_order: bool = False
    writes_forward: bool = False     # the skeleton leaves forward to write too
    special: str | None = None       # an extra check by name (see edge_cases.py)
    is_module: bool = False


def normal(*shape):
    return lambda rng: rng.standard_normal(shape)


def positive(*shape):
    return lambda rng: rng.uniform(0.5, 2.0, shape)


def away_from_zero(*shape):
    """Values with |v| in [0.5, 2]: a divisor, or a point where ReLU's kink is far."""
    return lambda rng: rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def distinct(*shape):
    """Distinct values at least 0.1 apart: no two elements of a max window tie."""
    return lambda rng: rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1


def args(*makers):
    return lambda rng: [m(rng) if callable(m) else m for m in makers]


def broadcast_cases(b_maker=normal):
    return (Case("a 3x4, b 3x4", args(normal(3, 4), b_maker(3, 4))),
            Case("b broadcast over rows: a 3x4, b 4", args(normal(3, 4), b_maker(4))),
            Case("b broadcast over columns: a 3x4, b 3x1", args(normal(3, 4), b_maker(3, 1))),
            Case("a batch of 1: a 1x5, b 5", args(normal(1, 5), b_maker(5))))


def integers(high, *shape):
    return lambda rng: rng.integers(0, high, shape)


EXERCISES = (
    Exercise("add", "a + b with broadcasting: the gradient of a broadcast is a sum", "Add",
             ("a", "b"), broadcast_cases(),
             ("d out / d a is 1 for each element: the gradient passes through unchanged.",
              "b of shape (4,) was used by every row of out: its gradient adds up the rows.",
              "Sum over the leading dimensions broadcasting added, and with keepdim=True over "
              "the dimensions of size 1 that were stretched."),
             "minigrad/ops/elementwise.py: Add, and the engine's one broadcast reduction "
             "(minigrad/autograd/engine.py: _fit_to_input)", second_order=True),
    Exercise("mul", "a * b with broadcasting: the product rule", "Mul", ("a", "b"),
             broadcast_cases() + (Case("zeros in a", args(lambda rng: np.where(
                 rng.random((3, 4)) < 0.5, 0.0, rng.standard_normal((3, 4))), normal(3, 4))),),
             ("d (a*b) / d a = b.", "Each input's gradient has the other input in it.",
              "Reduce each gradient to its own input's shape, as in add."),
             "minigrad/ops/elementwise.py: Mul", second_order=True),
    Exercise("div", "a / b with broadcasting: the quotient rule", "Div", ("a", "b"),
             broadcast_cases(away_from_zero),
             ("d (a/b) / d a = 1/b.", "d (a/b) / d b = -a / b^2: mind the sign.",
              "Reduce each gradient to its own input's shape, as in add."),
             "minigrad/ops/elementwise.py: Div", second_order=True),
    Exercise("pow", "x ** p for a constant p: the power rule", "Pow", ("x", "p"),
             (Case("p = 3", args(normal(3, 4), 3.0)),
              Case("p = 2 with zeros in x", args(lambda rng: np.where(
                  rng.random((3, 4)) < 0.5, 0.0, rng.standard_normal((3, 4))), 2.0)),
              Case("p = 0.5, x > 0", args(positive(2, 3), 0.5)),
              Case("p = -1, a batch of 1", args(positive(1, 4), -1.0))),
             ("p is a number, not a tensor: return None as its gradient.",
              "d x^p / dx = p x^(p - 1)."),
             "minigrad/ops/elementwise.py: Pow", second_order=True),
    Exercise("exp", "e^x: its own derivative", "Exp", ("x",),
             (Case("3x4", args(normal(3, 4))), Case("a batch of 1: 1x5", args(normal(1, 5)))),
             ("d e^x / dx = e^x, which forward saved as out.",),
             "minigrad/ops/elementwise.py: Exp", second_order=True),
    Exercise("log", "ln x: the reciprocal", "Log", ("x",),
             (Case("3x4", args(positive(3, 4))), Case("a batch of 1: 1x5", args(positive(1, 5)))),
             ("d ln(x) / dx = 1 / x.",),
             "minigrad/ops/elementwise.py: Log", second_order=True),
    Exercise("sigmoid", "the logistic sigmoid, from its own output", "Sigmoid", ("x",),
             (Case("3x4", args(normal(3, 4))), Case("zeros", args(lambda rng: np.zeros((2, 3)))),
              Case("a batch of 1: 1x5", args(normal(1, 5)))),
             ("d/dx (1 + e^-x)^-1 = e^-x / (1 + e^-x)^2.",
              "e^-x / (1 + e^-x) = 1 - sigma(x)."),
             "minigrad/ops/elementwise.py: Sigmoid", second_order=True),
    Exercise("tanh", "tanh, from its own output", "Tanh", ("x",),
             (Case("3x4", args(normal(3, 4))), Case("zeros", args(lambda rng: np.zeros((2, 3)))),
              Case("a batch of 1: 1x5", args(normal(1, 5)))),
             ("d tanh(x) / dx = 1 - tanh(x)^2.",),
             "minigrad/ops/elementwise.py: Tanh", second_order=True),
    Exercise("relu", "ReLU, and PyTorch's gradient 0 at the kink", "ReLU", ("x",),
             (Case("3x4", args(away_from_zero(3, 4))),
              Case("a batch of 1: 1x5", args(away_from_zero(1, 5)))),
             ("The gradient passes where x > 0 and is 0 elsewhere.",
              "At x == 0 exactly the gradient is 0: use x > 0, not x >= 0."),
             "minigrad/ops/elementwise.py: ReLU", second_order=True, special="relu_at_zero"),
    Exercise("matmul", "a @ b: which operand is transposed", "MatMul", ("a", "b"),
             (Case("a 3x4 @ b 4x2", args(normal(3, 4), normal(4, 2))),
              Case("square b: a 3x3 @ b 3x3", args(normal(3, 3), normal(3, 3))),
              Case("a batch of 1: a 1x3 @ b 3x3", args(normal(1, 3), normal(3, 3)))),
             ("dL/da has a's shape (n, k): grad_output (n, m) times something (m, k).",
              "dL/da = grad_output @ b^T; now find dL/db of shape (k, m) the same way."),
             "minigrad/ops/linalg.py: MatMul", second_order=True),
    Exercise("sum", "x.sum(dim): broadcasting the gradient back", "Sum", ("x", "dim"),
             (Case("3x4 over dim 1", args(normal(3, 4), 1)),
              Case("3x4 over dim 0", args(normal(3, 4), 0)),
              Case("2x3x4 over dim 1", args(normal(2, 3, 4), 1)),
              Case("a batch of 1: 1x5 over dim 0", args(normal(1, 5), 0))),
             ("Every element of x gets the gradient of the one output it was summed into.",
              "grad_output.unsqueeze(dim) puts back the summed dimension with size 1; expand "
              "stretches it."),
             "minigrad/ops/reduction.py: Sum (and BroadcastTo, its backward's twin)",
             second_order=True),
    Exercise("mean", "x.mean(dim): a sum divided by the count", "Mean", ("x", "dim"),
             (Case("3x4 over dim 1", args(normal(3, 4), 1)),
              Case("3x4 over dim 0", args(normal(3, 4), 0)),
              Case("a batch of 1: 1x5 over dim 0", args(normal(1, 5), 0))),
             ("As sum, then divide by the number of elements averaged: x.shape[dim].",),
             "minigrad/functional/reductions.py: mean (a Sum divided by the count)",
             second_order=True),
    Exercise("mse", "mean squared error: two inputs, a mean", "MSELoss", ("x", "y"),
             (Case("4x3", args(normal(4, 3), normal(4, 3))),
              Case("a batch of 1: 1x3", args(normal(1, 3), normal(1, 3))),
              Case("x == y (zero loss)", lambda rng: [rng.standard_normal((2, 3))] * 2)),
             ("d (x - y)^2 / dx = 2 (x - y).", "The mean divides by x.numel(), all elements.",
              "dL/dy = -dL/dx."),
             "minigrad/nn/functional/loss.py: mse_loss", second_order=True),
    Exercise("softmax", "softmax: every output depends on every input of its row", "Softmax",
             ("x",),
             (Case("4x5", args(normal(4, 5))), Case("a batch of 1: 1x3", args(normal(1, 3))),
              Case("equal logits", args(lambda rng: np.zeros((2, 4))))),
             ("dL/dx_i = sum_j g_j s_j (delta_ij - s_i) = s_i g_i - s_i sum_j g_j s_j.",
              "The second term is the path through the shared denominator: s * (g * s).sum(-1, "
              "keepdim=True)."),
             "minigrad/functional/softmax.py: softmax (composed from primitives)",
             second_order=True),
    Exercise("log_softmax_nll", "log-softmax + NLL (cross-entropy): the famous p - y",
             "LogSoftmaxNLL", ("z", "y"),
             (Case("batch 4, 3 classes", args(normal(4, 3), integers(3, 4))),
              Case("a batch of 1", args(normal(1, 5), integers(5, 1))),
              Case("a repeated target", args(normal(3, 3), lambda rng: np.array([1, 1, 1])))),
             ("For one row: d loss / d z_k = p_k - [k == y].",
              "Average over the batch: divide by N, the number of rows.",
              "p = log_p.exp(); the one-hot is (np.arange(C) == y[:, None])."),
             "minigrad/ops/loss.py: CrossEntropy"),
    Exercise("linear", "a Linear layer: the gradients of its parameters", "Linear", ("x",),
             (Case("batch 3, 4 -> 4 (a square weight)", args(normal(3, 4)),
                   {"in_features": 4, "out_features": 4}),
              Case("batch 5, 3 -> 2", args(normal(5, 3)), {"in_features": 3, "out_features": 2}),
              Case("a batch of 1, 4 -> 3", args(normal(1, 4)),
                   {"in_features": 4, "out_features": 3})),
             ("dL/dx = grad_output @ weight (no transpose: forward used weight^T).",
              "dL/dweight has weight's shape (out, in): grad_output^T (out, N) @ x (N, in).",
              "The bias was broadcast over the batch: sum grad_output over dim 0."),
             "minigrad/ops/linalg.py: Linear; minigrad/nn/linear.py: Linear",
             second_order=True, is_module=True),
    Exercise("dropout", "inverted dropout: a saved mask", "Dropout", ("x", "p"),
             (Case("4x5, p = 0.5", args(normal(4, 5), 0.5)),
              Case("a batch of 1, p = 0.2", args(normal(1, 6), 0.2))),
             ("out = x * mask / (1 - p): linear in x.", "The gradient is masked and scaled the "
              "same way as forward."),
             "minigrad/nn/functional/basic.py: dropout", second_order=True),
    Exercise("maxpool2d", "2x2 max pooling: the gradient goes to the winner only", "MaxPool2d",
             ("x",),
             (Case("1x2x4x4", args(distinct(1, 2, 4, 4))),
              Case("batch 2, 1x2x6", args(distinct(2, 1, 2, 6)))),
             ("Only the maximum of each window moved the output: only it gets a gradient.",
              "Scatter grad_output into a (N, C, H/2, W/2, 4) array of zeros at ctx.index "
              "(np.put_along_axis), then from_windows.",
              "With ties, x == max marks several elements: use the saved index instead."),
             "minigrad/ops/pooling.py: MaxPool2dBlocks", special="max_ties"),
    Exercise("embedding", "an embedding lookup: repeated indices add up", "Embedding",
             ("indices", "weight"),
             (Case("6 distinct indices into 8x3", args(lambda rng: rng.permutation(8)[:6],
                                                        normal(8, 3))),
              Case("repeated indices, 2x4 into 5x2", args(lambda rng: np.array([[1, 3, 1, 0],
                                                                                [3, 3, 4, 1]]),
                                                           normal(5, 2)))),
             ("Row v of the weight's gradient sums grad_output over the places that looked v up.",
              "grad_weight[indices] = g loses repeats: np.add.at(grad_weight, indices, g)."),
             "minigrad/nn/functional/sparse.py: embedding; minigrad/nn/sparse.py: Embedding"),
    Exercise("batchnorm", "batch normalisation (training): x used three times", "BatchNorm",
             ("x", "gamma", "beta", "eps"),
             (Case("batch 6, 3 features", args(normal(6, 3), normal(3), normal(3), 1e-5)),
              Case("batch 2, 4 features", args(normal(2, 4), normal(4), normal(4), 1e-5))),
             ("dL/dbeta = sum of g over the batch; dL/dgamma = sum of g * x_hat.",
              "For x: the direct path gives g_hat * inv_std; add the paths through mu and var.",
              "dL/dx = inv_std / N * (N g_hat - sum(g_hat) - x_hat sum(g_hat x_hat)), sums "
              "over the batch."),
             "minigrad/nn/functional/normalization.py: batch_norm"),
    Exercise("layernorm", "layer normalisation: batchnorm over the features", "LayerNorm",
             ("x", "weight", "bias", "eps"),
             (Case("3 rows of 5", args(normal(3, 5), normal(5), normal(5), 1e-5)),
              Case("a batch of 1", args(normal(1, 4), normal(4), normal(4), 1e-5))),
             ("weight and bias: sums over the rows, as gamma and beta in batchnorm.",
              "dL/dx = inv_std / D * (D g_hat - rowsum(g_hat) - x_hat rowsum(g_hat x_hat))."),
             "minigrad/nn/functional/normalization.py: layer_norm; minigrad/nn/normalization.py: "
             "LayerNorm"),
    Exercise("conv2d", "a convolution: three gradients from one formula", "Conv2d",
             ("x", "weight", "b"),
             (Case("1x2x5x5 input, 3x2x3x3 kernel", args(normal(1, 2, 5, 5), normal(3, 2, 3, 3),
                                                          normal(3))),
              Case("2x1x4x3 input, 2x1x2x2 kernel", args(normal(2, 1, 4, 3), normal(2, 1, 2, 2),
                                                          normal(2)))),
             ("dL/db[o] = grad_output summed over n, h, w.",
              "dL/dweight = einsum('nchwij,nohw->ocij', windows, g): forward's einsum with "
              "weight and out swapped.",
              "dL/dx: pad g by kh - 1, kw - 1 on each side, take its windows and correlate "
              "them with weight[:, :, ::-1, ::-1]."),
             "minigrad/ops/convolution.py: Conv2d (im2col), conv_input_grad, conv_weight_grad"),
    Exercise("attention", "scaled dot-product attention: write forward and backward",
             "Attention", ("q", "k", "v"),
             (Case("T=3, L=4, d=2, dv=3", args(normal(3, 2), normal(4, 2), normal(4, 3))),
              Case("one query: T=1, L=3, d=3, dv=2", args(normal(1, 3), normal(3, 3),
                                                          normal(3, 2)))),
             ("dL/dV = A^T g and dL/dA = g V^T (the matmul exercise).",
              "dL/dS = A * (dL/dA - rowsum(dL/dA * A)) (the softmax exercise), times the "
              "scale 1/sqrt(d).",
              "dL/dQ = dL/dS @ K and dL/dK = dL/dS^T @ Q."),
             "minigrad/nn/functional/attention.py: scaled_dot_product_attention",
             writes_forward=True),
    Exercise("gru_cell", "a GRU cell: write forward and backward", "GRUCell",
             ("x", "h", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
             (Case("batch 2, 3 inputs, 2 hidden", args(normal(2, 3), normal(2, 2), normal(6, 3),
                                                       normal(6, 2), normal(6), normal(6))),
              Case("a batch of 1", args(normal(1, 2), normal(1, 3), normal(9, 2), normal(9, 3),
                                        normal(9), normal(9)))),
             ("dh'/dh has two paths: z directly, and through gh (the three gates).",
              "The n gate: grad_n = g (1 - z) (1 - n^2); its h-side part is multiplied by r.",
              "grad_r = grad_n * h_n * r (1 - r); grad_z = g (h - n) z (1 - z)."),
             "minigrad/nn/functional/recurrent.py: gru_step; minigrad/nn/rnn_cell.py: GRUCell",
             writes_forward=True),
)

BY_NAME = {exercise.name: exercise for exercise in EXERCISES}
