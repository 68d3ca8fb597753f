"""``minigrad.models``: the model zoo, networks by name (as torchvision.models), used by the
command line, the examples and the benchmarks. The models know nothing of training.

    mnist.py   mlp, mlp-bn, cnn: the MNIST chapter's networks
    char.py    character-level language models: bigram, mlp, rnn, gru, lstm, transformer

A new model is one function in a module here and one entry in ``MODELS``.
"""
from .. import nn
from . import char
from .mnist import cnn, mlp, mlp_bn

MODELS = {"mlp": mlp, "mlp-bn": mlp_bn, "cnn": cnn}


def build(name: str) -> nn.Module:
    """The model called ``name``, freshly initialised (from the global seed)."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODELS)}")
    return MODELS[name]()


__all__ = ["MODELS", "build", "char", "cnn", "mlp", "mlp_bn"]
