"""The CNN rows of the benchmark: minigrad's CNN (in ``workloads``), the hand-written NumPy
CNN and PyTorch's, all with Adam 1e-3 on the same MNIST arrays as (N, 1, 28, 28)."""
import numpy as np

import minigrad as mg
from minigrad import models, nn

from .numpy_cnn import NumpyCNN
from .numpy_mlp import NumpyAdam, train_epoch
from .workloads import MinigradCNN, TorchMLP


def initial_cnn_weights(seed=0):
    """The (weight, bias) pairs of ``models.cnn()`` made with ``seed``."""
    mg.manual_seed(seed)
    layers = [m for m in models.cnn().modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    return [(layer.weight.array.copy(), layer.bias.array.copy()) for layer in layers]


class ReferenceCNN:
    def __init__(self, images, labels, batch_size, fraction=1.0):
        self.model = NumpyCNN(initial_cnn_weights())
        self.optimizer = NumpyAdam(self.model.params)
        count = int(len(images) * fraction)
        self.images = images[:count].reshape(-1, 1, 28, 28)
        self.labels, self.batch_size = labels[:count], batch_size
        self.rng = np.random.default_rng(0)

    def epoch(self, max_batches=None):
        count = len(self.images) if max_batches is None else max_batches * self.batch_size
        train_epoch(self.model, self.optimizer, self.images[:count], self.labels[:count],
                    self.batch_size, self.rng)


class TorchCNN(TorchMLP):  # its epoch: the same loop over the batches
    """PyTorch CPU eager mode, the same network and Adam (only when torch is installed)."""

    def __init__(self, images, labels, batch_size, fraction=1.0):
        import torch
        self.torch = torch
        layers = torch.nn
        self.model = layers.Sequential(
            layers.Conv2d(1, 16, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
            layers.Conv2d(16, 32, 3, padding=1), layers.ReLU(), layers.MaxPool2d(2),
            layers.Flatten(), layers.Linear(32 * 7 * 7, 128), layers.ReLU(), layers.Linear(128, 10))
        with torch.no_grad():
            weights = [a for pair in initial_cnn_weights() for a in pair]
            for parameter, value in zip(self.model.parameters(), weights):
                parameter.copy_(torch.from_numpy(value))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        count = int(len(images) * fraction)
        self.images = torch.from_numpy(np.ascontiguousarray(images[:count].reshape(-1, 1, 28, 28)))
        self.labels = torch.from_numpy(labels[:count])
        self.batch_size = batch_size



def add_cnn_workloads(workloads, images, labels, fraction, with_torch, batch_size=128):
    """The CNN rows at ``batch_size``: the NumPy reference, minigrad and PyTorch."""
    key = f"adam b{batch_size}"
    workloads[f"numpy     CNN {key}"] = ReferenceCNN(images, labels, batch_size, fraction)
    workloads[f"minigrad  CNN {key}"] = MinigradCNN(images, labels, batch_size, fraction)
    if with_torch:
        workloads[f"torch     CNN {key}"] = TorchCNN(images, labels, batch_size, fraction)
    return workloads
