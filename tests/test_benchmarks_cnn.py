"""The hand-written NumPy CNN of the benchmark computes what minigrad's CNN computes."""
import numpy as np

import minigrad as mg
from minigrad import models, nn, optim
from benchmarks.cnn_workloads import initial_cnn_weights
from benchmarks.numpy_cnn import NumpyCNN
from benchmarks.numpy_mlp import NumpyAdam


def batch(seed, n=16):
    rng = np.random.default_rng(seed)
    images = rng.standard_normal((n, 1, 28, 28)).astype(np.float32)
    images[:, :, :6, :6] = 0.0  # flat corners: ties in every pooling window there
    return images, rng.integers(0, 10, n)


def test_reference_cnn_and_minigrad_agree_on_loss_gradients_and_adam_steps():
    reference = NumpyCNN(initial_cnn_weights())
    mg.manual_seed(0)
    model = models.cnn()  # the same seed gives the same weights as initial_cnn_weights()
    x, y = batch(0)
    loss = nn.functional.cross_entropy(model(mg.Tensor(x)), mg.tensor(y))
    loss.backward()
    assert abs(reference.loss_and_grads(x, y) - loss.item()) < 1e-5
    for ours, theirs in zip(model.parameters(), reference.grads):
        np.testing.assert_allclose(ours.grad.array, theirs, rtol=1e-4, atol=1e-6)

    reference = NumpyCNN(initial_cnn_weights())
    mg.manual_seed(0)
    model = models.cnn()
    ours, theirs = optim.Adam(model.parameters(), lr=1e-3), NumpyAdam(reference.params)
    for step in range(3):
        x, y = batch(step + 1)
        ours.zero_grad()
        nn.functional.cross_entropy(model(mg.Tensor(x)), mg.tensor(y)).backward()
        ours.step()
        reference.loss_and_grads(x, y)
        theirs.step(reference.grads)
    for parameter, value in zip(model.parameters(), reference.params):
        np.testing.assert_allclose(parameter.array, value, rtol=1e-4, atol=1e-5)
