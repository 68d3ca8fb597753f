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


def test_reference_gathers_batches_into_reused_buffers_and_keeps_one_flat_buffer():
    x, y = batch(n=200)
    reference = NumpyMLP(initial_weights())
    # Every layer's weight and gradient is a view of the one flat buffer.
    assert all(p.base is reference.flat for p in reference.params)
    assert all(g.base is reference.flat_grad for g in reference.grads)
    indices = np.random.default_rng(3).permutation(200)[:32]
    loss = reference.loss_and_grads(x, y, indices)
    gathered = reference.flat_grad.copy()
    assert loss == reference.loss_and_grads(x[indices], y[indices])
    assert np.array_equal(gathered, reference.flat_grad)
    first = reference.buffers[32]["h1"]
    reference.loss_and_grads(x, y, indices[::-1].copy())
    assert reference.buffers[32]["h1"] is first  # allocated once per batch size
    # The flat optimizer step is the per-layer one.
    by_layer = NumpyMLP(initial_weights())
    flat_opt, layer_opt = NumpyAdam(reference.flat_params), NumpyAdam(by_layer.params)
    by_layer.loss_and_grads(x, y, indices[::-1].copy())
    flat_opt.step(reference.flat_grads)
    layer_opt.step(by_layer.grads)
    for a, b in zip(reference.params, by_layer.params):
        assert np.array_equal(a, b)


def test_the_winograd_and_thread_tables_report_both_sides_and_the_rule():
    from benchmarks import parallel, winograd
    for shape in [(2, 4, 4, 6), (1, 48, 48, 4)]:  # below and above the rule's threshold
        times = winograd.measure(shape, repeats=1)
        assert set(times) == {"gemm", "winograd"} and all(t >= 0 for t in times.values())
    text = winograd.table({"32, 64, 64, 16x16": {"gemm": 2.0, "winograd": 1.5},
                           "128, 16, 32, 14x14": {"gemm": 1.0, "winograd": 1.1}})
    assert "0.75  winograd" in text and "1.10  gemm" in text  # the rule's pick per shape
    halves = parallel.measure(lambda: None, repeats=2)
    assert set(halves) == {1, 2}
    assert "0.50" in parallel.table({"relu": {"1": 2e-3, "2": 1e-3}})  # keys as JSON has them


def test_the_sequence_models_run_the_same_code_in_minigrad_and_report_per_step():
    import minigrad as mg
    from benchmarks import sequence
    for build in (sequence.transformer, sequence.lstm):
        mg.manual_seed(0)
        model = build(mg)
        logits = model(mg.randint(0, sequence.VOCAB, (2, sequence.BLOCK)))
        assert logits.shape == (2, sequence.BLOCK, sequence.VOCAB)
    result = sequence.measure(sequence.lstm, steps=1, with_torch=False)
    assert set(result) == {"minigrad"} and result["minigrad"] > 0
    text = sequence.table({"LSTM": {"minigrad": 0.026, "torch": 0.02}})
    assert "26.00" in text and "1.30" in text
