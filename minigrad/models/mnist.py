"""The networks of the MNIST chapter: a fully connected net, the same with batch norm, a CNN."""
from .. import nn


def mlp(hidden=(256, 128), num_classes: int = 10) -> nn.Module:
    """784 -> 256 -> 128 -> 10 with ReLU: the classic fully connected MNIST network."""
    layers, width = [nn.Flatten()], 28 * 28
    for size in hidden:
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    return nn.Sequential(*layers, nn.Linear(width, num_classes))


def mlp_bn(hidden=(256, 128), num_classes: int = 10) -> nn.Module:
    """The same MLP with batch normalisation before each ReLU (Ioffe & Szegedy, 2015)."""
    layers, width = [nn.Flatten()], 28 * 28
    for size in hidden:
        layers += [nn.Linear(width, size, bias=False), nn.BatchNorm1d(size), nn.ReLU()]
        width = size
    return nn.Sequential(*layers, nn.Linear(width, num_classes))


def cnn(num_classes: int = 10) -> nn.Module:
    """Two 3x3 convolutions with 2x2 max pooling, then a small classifier:
    (1, 28, 28) -> (16, 14, 14) -> (32, 7, 7) -> 128 -> 10."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, num_classes))

