"""The timed workloads: one object per configuration, each training epoch by epoch on the
same MNIST arrays, so the runner can interleave them and take medians."""
import numpy as np

import minigrad as mg
from minigrad import data, models, nn, optim

from .numpy_mlp import NumpyAdam, NumpyMLP, NumpyMomentum, train_epoch


def mnist_arrays():
    """The training images as (N, 784) float32, standardised, and the labels."""
    train = data.MNIST(train=True)
    images = (train.data.reshape(len(train), -1).astype(np.float32) / 255 - 0.1307) / 0.3081
    return images, train.targets


def initial_weights(seed=0):
    mg.manual_seed(seed)
    model = models.mlp()
    layers = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return [(layer.weight.array.copy(), layer.bias.array.copy()) for layer in layers]


class MinigradMLP:
    def __init__(self, images, labels, optimizer, batch_size, batchnorm=False, fraction=1.0):
        mg.manual_seed(0)
        self.model = models.mlp_bn() if batchnorm else models.mlp()
        self.optimizer = (optim.Adam(self.model.parameters(), lr=1e-3) if optimizer == "adam"
                          else optim.SGD(self.model.parameters(), lr=0.05, momentum=0.9))
        count = int(len(images) * fraction)
        self.loader = data.DataLoader(data.TensorDataset(images[:count], labels[:count]),
                                      batch_size, shuffle=True)

    def epoch(self, max_batches=None):
        for index, (x, y) in enumerate(self.loader):
            if index == max_batches:
                break
            loss = nn.functional.cross_entropy(self.model(x), y)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()


class MinigradCNN(MinigradMLP):
    def __init__(self, images, labels, batch_size, fraction=1.0):
        super().__init__(images.reshape(-1, 1, 28, 28), labels, "adam", batch_size,
                         fraction=fraction)
        mg.manual_seed(0)
        self.model = models.cnn()
        self.optimizer = optim.Adam(self.model.parameters(), lr=1e-3)


class ReferenceMLP:
    def __init__(self, images, labels, optimizer, batch_size, fraction=1.0, weights=None):
        self.model = NumpyMLP(initial_weights() if weights is None else weights)
        self.optimizer = (NumpyAdam(self.model.flat_params) if optimizer == "adam"
                          else NumpyMomentum(self.model.flat_params))
        count = int(len(images) * fraction)
        self.images, self.labels, self.batch_size = images[:count], labels[:count], batch_size
        self.rng = np.random.default_rng(0)

    def epoch(self, max_batches=None):
        count = len(self.images) if max_batches is None else max_batches * self.batch_size
        train_epoch(self.model, self.optimizer, self.images[:count], self.labels[:count],
                    self.batch_size, self.rng)


class TorchMLP:
    """PyTorch CPU eager mode, the same network and update rule (only when torch is installed)."""

    def __init__(self, images, labels, optimizer, batch_size, fraction=1.0):
        import torch
        torch.manual_seed(0)
        self.torch = torch
        self.model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                         torch.nn.Linear(256, 128), torch.nn.ReLU(),
                                         torch.nn.Linear(128, 10))
        self.optimizer = (torch.optim.Adam(self.model.parameters(), lr=1e-3) if optimizer == "adam"
                          else torch.optim.SGD(self.model.parameters(), lr=0.05, momentum=0.9))
        count = int(len(images) * fraction)
        self.images = torch.from_numpy(images[:count])
        self.labels = torch.from_numpy(labels[:count])
        self.batch_size = batch_size

    def epoch(self):
        order = self.torch.randperm(len(self.images))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            loss = self.torch.nn.functional.cross_entropy(self.model(self.images[batch]),
                                                          self.labels[batch])
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
