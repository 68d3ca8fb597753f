"""The gradient-check exercise for the whole framework: every layer and loss, in float64,
on small random inputs (the table behind ``minigrad gradcheck``)."""
from __future__ import annotations

import numpy as np

from . import nn
from .gradcheck import jacobian_error
from .nn import functional as F
from .tensor import Tensor


def _leaf(rng, *shape):
    return Tensor(rng.standard_normal(shape), requires_grad=True)


def cases(seed: int = 0):
    """(name, function, inputs) for every layer and loss."""
    rng = np.random.default_rng(seed)
    targets = Tensor(np.array([0, 2, 1, 2]))
    probabilities = Tensor(rng.uniform(0.05, 0.95, (4, 3)), requires_grad=True)
    labels = Tensor(rng.uniform(0, 1, (4, 3)))
    linear = nn.Linear(5, 3).double()
    conv = nn.Conv2d(2, 3, 3, padding=1).double()
    batchnorm = nn.BatchNorm1d(3).double()
    return [
        ("Linear", lambda x, w, b: F.linear(x, w, b),
         [_leaf(rng, 4, 5), Tensor(linear.weight.data, True), Tensor(linear.bias.data, True)]),
        ("ReLU", nn.ReLU(), [_leaf(rng, 4, 5)]),
        ("LeakyReLU", nn.LeakyReLU(0.1), [_leaf(rng, 4, 5)]),
        ("ELU", nn.ELU(), [_leaf(rng, 4, 5)]),
        ("GELU", nn.GELU(), [_leaf(rng, 4, 5)]),
        ("GELU(tanh)", nn.GELU("tanh"), [_leaf(rng, 4, 5)]),
        ("Sigmoid", nn.Sigmoid(), [_leaf(rng, 4, 5)]),
        ("Tanh", nn.Tanh(), [_leaf(rng, 4, 5)]),
        ("Softplus", nn.Softplus(), [_leaf(rng, 4, 5)]),
        ("Softmax", nn.Softmax(1), [_leaf(rng, 4, 5)]),
        ("LogSoftmax", nn.LogSoftmax(1), [_leaf(rng, 4, 5)]),
        ("BatchNorm1d (train)", lambda x: batchnorm(x), [_leaf(rng, 6, 3)]),
        ("Dropout", nn.Dropout(0.3), [_leaf(rng, 4, 5)]),
        ("Conv2d", lambda x, w, b: F.conv2d(x, w, b, 1, 1),
         [_leaf(rng, 2, 2, 5, 5), Tensor(conv.weight.data, True), Tensor(conv.bias.data, True)]),
        ("MaxPool2d", nn.MaxPool2d(2), [Tensor(rng.permutation(100).reshape(1, 1, 10, 10) * 0.1,
                                               requires_grad=True)]),
        ("AvgPool2d", nn.AvgPool2d(2), [_leaf(rng, 1, 2, 6, 6)]),
        ("CrossEntropyLoss", lambda z: F.cross_entropy(z, targets, label_smoothing=0.1),
         [_leaf(rng, 4, 3)]),
        ("NLLLoss", lambda z: F.nll_loss(z.log_softmax(1), targets), [_leaf(rng, 4, 3)]),
        ("MSELoss", lambda x, y: F.mse_loss(x, y), [_leaf(rng, 4, 3), _leaf(rng, 4, 3)]),
        ("L1Loss", lambda x, y: F.l1_loss(x, y), [_leaf(rng, 4, 3), _leaf(rng, 4, 3)]),
        ("BCELoss", lambda p: F.binary_cross_entropy(p, labels), [probabilities]),
        ("BCEWithLogitsLoss", lambda z: F.binary_cross_entropy_with_logits(z, labels),
         [_leaf(rng, 4, 3)]),
    ]


def run(tolerance: float = 1e-7):
    """[(name, relative error, passed)] for every case."""
    rows = []
    for name, fn, inputs in cases():
        error = jacobian_error(fn, inputs)
        rows.append((name, error, error <= tolerance))
    return rows
