"""The gradient-check exercise: every layer and loss of the framework, in float64, on small
random inputs (the table behind ``minigrad gradcheck``), and the same check for a student's
own Function, Module or function (``minigrad gradcheck my_layer.py:MyFunction --shape 3,4``).
"""
from __future__ import annotations

import importlib.util
import inspect
import os

import numpy as np

from .. import nn
from ..autograd import Function
from ..gradcheck import GradcheckError, gradcheck, jacobian_error
from ..nn import functional as F
from ..random import manual_seed
from ..tensor import Tensor


def _leaf(rng, *shape):
    return Tensor(rng.standard_normal(shape), requires_grad=True)


def _embedding_of(table, indices):
    """An Embedding whose weight is ``table`` itself (so the check differentiates through it)."""
    layer = nn.Embedding(*table.shape, dtype=np.float64)
    layer.weight = table
    return layer(indices)


def cases(seed: int = 0):
    """(name, function, inputs) for every layer and loss."""
    rng = np.random.default_rng(seed)
    tokens = Tensor(np.array([[0, 3, 3], [5, 1, 0]]))
    attention = nn.MultiheadAttention(4, 2, dtype=np.float64)
    recurrent = {name: cls(3, 2, dtype=np.float64) for name, cls in
                 [("RNN", nn.RNN), ("LSTM", nn.LSTM), ("GRU", nn.GRU)]}
    targets = Tensor(np.array([0, 2, 1, 2]))
    probabilities = Tensor(rng.uniform(0.05, 0.95, (4, 3)), requires_grad=True)
    labels = Tensor(rng.uniform(0, 1, (4, 3)))
    linear = nn.Linear(5, 3).double()
    conv = nn.Conv2d(2, 3, 3, padding=1).double()
    batchnorm = nn.BatchNorm1d(3).double()
    return [
        ("Linear", lambda x, w, b: F.linear(x, w, b),
         [_leaf(rng, 4, 5), Tensor(linear.weight.array, True), Tensor(linear.bias.array, True)]),
        ("ReLU", nn.ReLU(), [_leaf(rng, 4, 5)]),
        ("LeakyReLU", nn.LeakyReLU(0.1), [_leaf(rng, 4, 5)]),
        ("ELU", nn.ELU(), [_leaf(rng, 4, 5)]),
        ("GELU", nn.GELU(), [_leaf(rng, 4, 5)]),
        ("GELU(tanh)", nn.GELU("tanh"), [_leaf(rng, 4, 5)]),
        ("Sigmoid", nn.Sigmoid(), [_leaf(rng, 4, 5)]),
        ("Tanh", nn.Tanh(), [_leaf(rng, 4, 5)]),
        ("Softplus", nn.Softplus(), [_leaf(rng, 4, 5)]),
        ("SiLU", nn.SiLU(), [_leaf(rng, 4, 5)]),
        ("Mish", nn.Mish(), [_leaf(rng, 4, 5)]),
        ("Softmax", nn.Softmax(1), [_leaf(rng, 4, 5)]),
        ("LogSoftmax", nn.LogSoftmax(1), [_leaf(rng, 4, 5)]),
        ("BatchNorm1d (train)", lambda x: batchnorm(x), [_leaf(rng, 6, 3)]),
        ("LayerNorm", lambda x, w, b: F.layer_norm(x, (5,), w, b),
         [_leaf(rng, 4, 5), _leaf(rng, 5), _leaf(rng, 5)]),
        ("RMSNorm", lambda x, w: F.rms_norm(x, (5,), w), [_leaf(rng, 4, 5), _leaf(rng, 5)]),
        ("GroupNorm", lambda x, w, b: F.group_norm(x, 2, w, b),
         [_leaf(rng, 2, 4, 3), _leaf(rng, 4), _leaf(rng, 4)]),
        ("Dropout", nn.Dropout(0.3), [_leaf(rng, 4, 5)]),
        ("Embedding", lambda table: _embedding_of(table, tokens), [_leaf(rng, 6, 3)]),
        ("Attention (causal)",
         lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
         [_leaf(rng, 2, 3, 4), _leaf(rng, 2, 3, 4), _leaf(rng, 2, 3, 2)]),
        ("MultiheadAttention", lambda q, kv: attention(q, kv, kv)[0],
         [_leaf(rng, 3, 2, 4), _leaf(rng, 4, 2, 4)]),
        *[(name, lambda x, layer=layer: layer(x)[0], [_leaf(rng, 4, 2, 3)])
          for name, layer in recurrent.items()],
        ("Conv2d", lambda x, w, b: F.conv2d(x, w, b, 1, 1),
         [_leaf(rng, 2, 2, 5, 5), Tensor(conv.weight.array, True), Tensor(conv.bias.array, True)]),
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


def run(tolerance: float = 1e-7, seed: int = 0):
    """[(name, Jacobian error, passed)] for every case (the Jacobian error
    ||A - N|| / (||A|| + ||N||) over all its gradients); the same numbers on every run (the
    layers' initial weights and the dropout masks come from the seeded generator)."""
    manual_seed(seed)
    rows = []
    for name, fn, inputs in cases(seed):
        error = jacobian_error(fn, inputs)
        rows.append((name, error, error <= tolerance))
    return rows


# ------------------------------------------------------------------ a student's own code
def load_target(spec: str):
    """``path.py:Name`` -> (Name, the object Name in that file). The file runs as a module of
    its own (its imports work as usual); errors name the file and what is missing."""
    path, separator, name = spec.rpartition(":")
    if not separator or not path or not name:
        raise ValueError(f"expected FILE.py:NAME (e.g. my_layer.py:MyFunction); got {spec!r}")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no such file")
    module_spec = importlib.util.spec_from_file_location(
        f"_gradcheck_{os.path.splitext(os.path.basename(path))[0]}", path)
    if module_spec is None:
        raise ValueError(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    if not hasattr(module, name):
        defined = [n for n, v in vars(module).items() if not n.startswith("_") and callable(v)
                   and getattr(v, "__module__", None) == module.__name__]
        raise ValueError(f"{path} defines no {name!r}; it defines: "
                         f"{', '.join(defined) or 'nothing callable'}")
    return name, getattr(module, name)


def as_function(name, target):
    """The map from input Tensors to outputs that gradcheck differentiates: Function.apply for
    a Function subclass, a float64 instance for a Module (or Module subclass, created without
    arguments), the function itself otherwise."""
    if inspect.isclass(target) and issubclass(target, Function):
        return target.apply
    if inspect.isclass(target) and issubclass(target, nn.Module):
        try:
            target = target()
        except TypeError as error:
            raise ValueError(f"could not create {name}() without arguments ({error}); define "
                             f"an instance in the file, e.g. layer = {name}(...), and check "
                             "that instead") from None
    if isinstance(target, nn.Module):
        return target.double()
    if callable(target):
        return target
    raise ValueError(f"{name} is a {type(target).__name__}: expected a Function subclass, a "
                     "Module or a function")


def parse_shape(text: str) -> tuple:
    try:
        shape = tuple(int(n) for n in text.split(","))
    except ValueError:
        raise ValueError(f"a shape is comma-separated positive integers, e.g. 3,4; got "
                         f"{text!r}") from None
    if not shape or min(shape) <= 0:
        raise ValueError(f"a shape is comma-separated positive integers, e.g. 3,4; got {text!r}")
    return shape


def input_count(name, target):
    """(required, accepts more) positional inputs of the forward ``target`` runs: a
    Function's forward without ctx/self, a Module's forward without self, a function's own."""
    if inspect.isclass(target) and issubclass(target, Function):
        forward, skip = target.forward, 1  # ctx (static forward) or self (primitive style)
    elif inspect.isclass(target) and issubclass(target, nn.Module):
        forward, skip = target.forward, 1
    elif isinstance(target, nn.Module):
        forward, skip = target.forward, 0  # bound: self is already taken
    else:
        forward, skip = target, 0
    try:
        parameters = list(inspect.signature(forward).parameters.values())[skip:]
    except (TypeError, ValueError):
        return None, True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(p.default is p.empty for p in positional)
    more = any(p.kind == p.VAR_POSITIONAL for p in parameters)
    return required, (len(positional) if not more else None)


def check_target(name, target, shapes, seed: int = 0, shapes_given: bool = True):
    """Gradient-check a student's code on random float64 inputs of ``shapes``, every input
    and (for a Module) every parameter. Returns (Jacobian error over all gradients, None)
    when it passes, else (that error, the GradcheckError: its ``failures`` name each wrong
    gradient with the worst element, both values, the element error and a diagnosis).
    A number of shapes that forward cannot take is refused first, naming how many it takes."""
    required, most = input_count(name, target)
    if required is not None and (len(shapes) < required or
                                 (most is not None and len(shapes) > most)):
        wanted = required if most == required else f"{required} to {most}"
        raise ValueError(f"{name}.forward takes {wanted} input{'s' if most != 1 else ''} but "
                         f"{len(shapes)} --shape {'was' if len(shapes) == 1 else 'were'} "
                         f"given{'' if shapes_given else ' (the default: one of shape 3,4)'}; "
                         "pass --shape once per input, e.g. " +
                         " ".join(["--shape 3,4"] * max(required, 1)))
    fn = as_function(name, target)
    manual_seed(seed)
    rng = np.random.default_rng(seed)
    inputs = [Tensor(rng.standard_normal(shape), requires_grad=True) for shape in shapes]
    error = jacobian_error(fn, inputs)
    try:
        gradcheck(fn, inputs)
    except GradcheckError as failure:
        return error, failure
    return error, None
