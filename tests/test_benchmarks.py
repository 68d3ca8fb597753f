"""The benchmark's hand-written NumPy reference computes what minigrad computes."""
import numpy as np

import minigrad as mg
from minigrad import models, nn, optim
from benchmarks.numpy_mlp import NumpyAdam, NumpyMLP, NumpyMomentum
from benchmarks.workloads import initial_weights


def batch(seed=0, n=64):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 784)).astype(np.float32), rng.integers(0, 10, n)


def test_reference_and_minigrad_agree_on_loss_gradients_and_steps():
    x, y = batch()
    reference = NumpyMLP(initial_weights())
    mg.manual_seed(0)
    model = models.mlp()  # the same seed gives the same weights as initial_weights()
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    loss = nn.functional.cross_entropy(model(mg.Tensor(x)), mg.tensor(y))
    loss.backward()
    assert abs(reference.loss_and_grads(x, y) - loss.item()) < 1e-5
    grads = [g for layer in linears for g in (layer.weight.grad.array, layer.bias.grad.array)]
    for ours, theirs in zip(grads, reference.grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)

    for make_ours, make_theirs in [(lambda p: optim.Adam(p, lr=1e-3), NumpyAdam),
                                   (lambda p: optim.SGD(p, lr=0.05, momentum=0.9), NumpyMomentum)]:
        reference = NumpyMLP(initial_weights())
        mg.manual_seed(0)
        model = models.mlp()
        ours_opt, theirs_opt = make_ours(list(model.parameters())), make_theirs(reference.params)
        for step in range(3):
            xb, yb = batch(step)
            ours_opt.zero_grad()
            nn.functional.cross_entropy(model(mg.Tensor(xb)), mg.tensor(yb)).backward()
            ours_opt.step()
            reference.loss_and_grads(xb, yb)
            theirs_opt.step(reference.grads)
        for ours, theirs in zip(model.parameters(), reference.params):
            np.testing.assert_allclose(ours.array, theirs, rtol=1e-4, atol=1e-6)
