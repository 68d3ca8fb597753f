"""minigrad.compile: a replayed step gives bit-identical results to the eager step, and
anything a replay could get wrong stays eager with a warning that says why."""
import io
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import minigrad as mg
from minigrad import models, nn, optim
from minigrad.nn import functional as F
from minigrad.nn.utils import clip_grad_norm_


def _mlp_with_dropout():
    return nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 10))


def _small_cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(4 * 4 * 4, 10))


CASES = {  # name: (model factory, input shape of one example, optimizer factory)
    "mlp adam": (lambda: nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(),
                                       nn.Linear(16, 10)), (20,),
                 lambda p: optim.Adam(p, lr=1e-2)),
    "mlp sgd momentum": (lambda: models.mlp(), (784,),
                         lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
    "batchnorm mlp": (lambda: models.mlp_bn(), (784,), lambda p: optim.Adam(p, lr=1e-3)),
    "dropout": (_mlp_with_dropout, (20,), lambda p: optim.AdamW(p, lr=1e-2)),
    "cnn": (lambda: models.cnn(), (1, 28, 28), lambda p: optim.Adam(p, lr=1e-3)),
    "small cnn, sgd": (_small_cnn, (1, 8, 8), lambda p: optim.SGD(p, lr=0.05, momentum=0.9)),
}


def _trainer(case, compiled):
    make_model, _, make_optimizer = CASES[case]
    mg.manual_seed(0)
    model = make_model()
    optimizer = make_optimizer(model.parameters())

    def step(x, y):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.detach()
    return model, optimizer, (mg.compile(step) if compiled else step)


def _batches(shape, count, batch=16, seed=1):
    rng = np.random.default_rng(seed)
    return [(mg.tensor(rng.standard_normal((batch,) + shape).astype(np.float32)),
             mg.tensor(rng.integers(0, 10, batch))) for _ in range(count)]


@pytest.mark.parametrize("case", list(CASES))
def test_compiled_steps_are_bit_identical_to_eager_ones(case):
    steps = 100
    batches = _batches(CASES[case][1], steps)
    eager_model, eager_opt, eager_step = _trainer(case, compiled=False)
    eager_losses = [eager_step(x, y).array.copy() for x, y in batches]
    eager_rng = mg.get_rng_state()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback to eager allowed here
        model, opt, step = _trainer(case, compiled=True)
        losses = [step(x, y).array.copy() for x, y in batches]
    assert step.last is not None, "the step was never replayed"
    for i, (a, b) in enumerate(zip(eager_losses, losses)):
        assert a.tobytes() == b.tobytes(), f"loss of step {i} differs: {a} vs {b}"
    eager_state, state = eager_model.state_dict(), model.state_dict()
    for name in eager_state:  # parameters and buffers (running statistics)
        assert eager_state[name].array.tobytes() == state[name].array.tobytes(), name
    for p, q in zip(eager_model.parameters(), model.parameters()):
        assert p.grad.array.tobytes() == q.grad.array.tobytes()
        for key, value in eager_opt.state[p].items():
            assert np.array_equal(value, opt.state[q][key]), key
    assert mg.get_rng_state() == eager_rng  # the same random stream was consumed


class _TinyLanguageModel(nn.Module):
    """An embedding table, one causal self-attention mix (einsum, tril, masked_fill) and a
    head: the ops of a language model's step, in a few lines."""

    def __init__(self, vocab=11, dim=8):
        super().__init__()
        self.table = nn.Parameter(mg.randn(vocab, dim) * 0.5)
        self.head = nn.Linear(dim, vocab)

    def forward(self, tokens):
        x = F.embedding(tokens, self.table, padding_idx=0)
        scores = mg.einsum("btd,bsd->bts", x, x)
        causal = mg.tril(mg.ones(tokens.shape[1], tokens.shape[1]))
        weights = scores.masked_fill(causal == 0, float("-inf")).softmax(-1)
        return self.head(x + weights @ x)


def test_compiled_language_model_step_replays_bit_identically():
    rng = np.random.default_rng(3)
    batches = [(mg.tensor(rng.integers(0, 11, (4, 6))), mg.tensor(rng.integers(0, 11, (4, 6))))
               for _ in range(12)]
    for _, targets in batches:
        targets.array[0, :2] = -100  # ignored positions change the mean's divisor per step
    results = []
    for compiled in (False, True):
        mg.manual_seed(0)
        model = _TinyLanguageModel()
        optimizer = optim.AdamW(model.parameters(), lr=1e-2)

        def step(tokens, targets):
            logits = model(tokens)  # (B, T, C): the classes go to dimension 1
            loss = F.cross_entropy(logits.transpose(1, 2), targets, label_smoothing=0.1)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            return loss.detach()
        run = mg.compile(step) if compiled else step
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback to eager allowed here
            losses = [run(x, y).array.copy() for x, y in batches]
        if compiled:
            assert run.last is not None, "the step was never replayed"
        results.append((losses, [p.array.copy() for p in model.parameters()]))
    (eager_losses, eager_params), (losses, params) = results
    assert [a.tobytes() for a in eager_losses] == [b.tobytes() for b in losses]
    assert all(p.tobytes() == q.tobytes() for p, q in zip(eager_params, params))
    assert eager_losses[0] != eager_losses[-1]  # it trained


def test_compiled_sampling_draws_like_eager_sampling():
    # top-k filtering, softmax and multinomial: the draws are kernels, so each replay draws
    # anew from the framework's stream, exactly as the eager calls do.
    def sample(logits):
        values, _ = logits.topk(3)
        kept = logits.masked_fill(logits < values[:, [-1]], float("-inf"))
        return mg.multinomial(kept.softmax(-1), 2, replacement=True)
    logits = [mg.randn(4, 9) for _ in range(6)]
    draws, compiled = [], mg.compile(sample)
    for run in (sample, compiled):
        mg.manual_seed(5)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            draws.append([run(x).tolist() for x in logits])
    assert compiled.last is not None, "the sampling step was never replayed"
    assert draws[0] == draws[1]
    for x, drawn in zip(logits, draws[1]):  # only the top 3 of each row are ever drawn
        top = np.argsort(-x.array, axis=1)[:, :3]
        assert all(set(row) <= set(t) for row, t in zip(drawn, top.tolist()))


def test_a_new_batch_size_is_traced_and_cached_separately():
    model, _, step = _trainer("mlp adam", compiled=True)
    big, small = _batches((20,), 4, batch=16), _batches((20,), 4, batch=5, seed=2)
    for x, y in big + small + big:
        step(x, y)
    assert len(step.entries) == 2
    assert all(entry.program is not None for entries in step.entries.values()
               for entry in entries)


def test_eval_mode_is_its_own_signature_and_sees_updated_running_statistics():
    mg.manual_seed(0)
    model = models.mlp_bn()
    predict = mg.compile(lambda x: model(x))
    eager = lambda x: model(x)  # noqa: E731
    x = mg.tensor(np.random.default_rng(0).standard_normal((8, 784)).astype(np.float32))
    with mg.no_grad():
        model.eval()
        for _ in range(4):
            predict(x)
        model.train()
        model(x)  # changes the running statistics in place
        model.eval()
        assert predict(x).array.tobytes() == eager(x).array.tobytes()


def test_explain_lists_kernels_and_memory():
    _, _, step = _trainer("mlp adam", compiled=True)
    for x, y in _batches((20,), 5):
        step(x, y)
    buffer = io.StringIO()
    step.explain(file=buffer)
    text = buffer.getvalue()
    for word in ("Linear", "ReLU", "CrossEntropy", "Adam.step", "accumulate grad", "MB"):
        assert word in text
    program = step.last.program
    assert 0 < program.planned_peak() <= sum(m[2] for m in program.meta if m)


def _warning_of(step, *args, calls=4):
    with pytest.warns(RuntimeWarning) as caught:
        results = [step(*args) for _ in range(calls)]
    ours = [w for w in caught if "minigrad.compile" in str(w.message)]
    assert len(ours) == 1, [str(w.message) for w in ours]  # once, not on every call
    # Issue 21 item 5: the warning names the user's line that called the step, whichever
    # part of minigrad decided on the fallback (signature, trace, or comparison of traces).
    assert ours[0].filename == __file__, ours[0].filename
    return str(ours[0].message), results


def test_item_inside_the_step_falls_back_to_eager_with_a_reason():
    x = mg.tensor([1.0, 2.0])
    seen = []
    step = mg.compile(lambda t: seen.append((t * 2).sum().item()) or t * 3)
    message, results = _warning_of(step, x)
    assert ".item()" in message and len(seen) == 4  # every call really ran
    assert results[-1].tolist() == [3.0, 6.0]


def test_printing_inside_the_step_falls_back_to_eager(capsys):
    step = mg.compile(lambda t: print(t * 2) or t * 3)
    message, _ = _warning_of(step, mg.tensor([1.0]))
    assert "printing" in message and capsys.readouterr().out.count("tensor([2.])") == 4


def test_untracked_numpy_inside_the_step_is_detected_not_frozen():
    calls = iter(range(100))
    step = mg.compile(lambda t: t * mg.tensor(np.full(2, next(calls), dtype=np.float32)))
    x = mg.tensor([1.0, 1.0])
    message, results = _warning_of(step, x)
    assert "changed between two calls" in message and "Mul" in message
    assert results[-1].tolist() == [3.0, 3.0]


def test_hooks_and_anomaly_mode_fall_back_to_eager():
    model, _, step = _trainer("mlp adam", compiled=True)
    handle = model[0].weight.register_hook(lambda g: g * 0.5)
    message, _ = _warning_of(step, *_batches((20,), 1)[0])
    assert "hook" in message
    handle.remove()
    _, _, step = _trainer("mlp adam", compiled=True)
    with mg.autograd.detect_anomaly():
        message, _ = _warning_of(step, *_batches((20,), 1)[0])
    assert "anomaly" in message


def test_a_returned_tensor_that_requires_grad_is_not_replayed():
    w = mg.tensor([1.0, 2.0], requires_grad=True)
    message, results = _warning_of(mg.compile(lambda t: t * w), mg.tensor([3.0, 4.0]))
    assert "requires grad" in message and results[-1].grad_fn is not None


def _usual_step(model, optimizer, returns):
    """The training step as nearly every program writes it (issue 21 item 4)."""
    def step(x, y):
        optimizer.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        return {"loss": loss, "logits and loss": (logits, loss)}[returns]
    return step


@pytest.mark.parametrize("case, returns", [("mlp adam", "loss"), ("cnn", "loss"),
                                           ("dropout", "logits and loss")])
def test_the_usual_step_returning_its_loss_after_backward_is_replayed_bit_identically(
        case, returns):
    make_model, shape, make_optimizer = CASES[case]
    batches = _batches(shape, 8)
    runs = []
    for compiled in (False, True):
        mg.manual_seed(0)
        model = make_model()
        step = _usual_step(model, make_optimizer(model.parameters()), returns)
        step = mg.compile(step) if compiled else step
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback to eager allowed
            results = [step(x, y) for x, y in batches]
        runs.append((results, model.state_dict()))
    assert step.last is not None, "the step was never replayed"
    (eager, eager_state), (replayed, state) = runs
    for i, (a, b) in enumerate(zip(eager, replayed)):
        a, b = (a, b) if returns == "loss" else (a[1], b[1])
        assert a.array.tobytes() == b.array.tobytes(), f"loss of step {i}: {a} vs {b}"
    # A replay returns the value: the graph was consumed by the step's backward already.
    last = replayed[-1] if returns == "loss" else replayed[-1][1]
    assert last.grad_fn is None and not last.requires_grad
    for name in eager_state:
        assert eager_state[name].array.tobytes() == state[name].array.tobytes(), name


def test_a_returned_loss_whose_graph_is_retained_is_not_replayed():
    w = mg.tensor([1.0, 2.0], requires_grad=True)

    def step(t):
        loss = (t * w).sum()
        loss.backward(retain_graph=True)  # the caller could backward through it again
        return loss
    message, results = _warning_of(mg.compile(step), mg.tensor([3.0, 4.0]))
    assert "requires grad" in message and "backward()" in message
    assert results[-1].grad_fn is not None


def test_bad_targets_are_still_refused_in_a_replay():
    _, _, step = _trainer("mlp adam", compiled=True)
    for x, y in _batches((20,), 4):
        step(x, y)
    x, y = _batches((20,), 1)[0]
    y.array[3] = 12
    with pytest.raises(IndexError, match="target 12 at position 3 is out of bounds"):
        step(x, y)


def test_trainer_with_compile_gives_the_eager_history():
    from minigrad.data import DataLoader, TensorDataset
    from minigrad.optim import lr_scheduler
    from minigrad.recipes.trainer import Trainer
    rng = np.random.default_rng(0)
    dataset = TensorDataset(rng.standard_normal((70, 20)).astype(np.float32),
                            rng.integers(0, 10, 70))
    histories = []
    for compile in (False, True):
        make_model, _, make_optimizer = CASES["dropout"]
        mg.manual_seed(0)
        model = make_model()
        optimizer = make_optimizer(model.parameters())
        scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.05, total_steps=5 * 5)
        trainer = Trainer(model, optimizer, scheduler=scheduler, progress=False, compile=compile)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            histories.append(trainer.fit(DataLoader(dataset, 16, shuffle=True), 5))
    drop = ("seconds",)
    assert [{k: v for k, v in r.items() if k not in drop} for r in histories[0]] == \
        [{k: v for k, v in r.items() if k not in drop} for r in histories[1]]


@pytest.mark.skipif(not os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist")),
                    reason="trains on MNIST from $MINIGRAD_DATA")
def test_cli_train_compile_matches_eager(tmp_path):
    outputs = []
    for flag in ([], ["--compile"]):
        result = subprocess.run(
            [sys.executable, "-m", "minigrad", "train", "--subset", "1000", "--epochs", "1",
             "--quiet", "--out", str(tmp_path / f"run{len(outputs)}"), *flag],
            capture_output=True, text=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
        assert result.returncode == 0, result.stderr
        summary = result.stdout.splitlines()[0]  # the results, then ", 1.4s"
        outputs.append(summary.rsplit(", ", 1)[0])
    assert "test accuracy" in outputs[1] and outputs[0] == outputs[1]


def test_writes_to_grad_or_data_outside_the_ops_fall_back_to_eager():
    def manual_sgd(x):
        w.grad = None
        (x * w).sum().backward()
        w.data = w.data - 0.1 * w.grad.data  # PyTorch's manual update: no kernel records it
        return x * 1.0
    w = mg.tensor([1.0, 2.0], requires_grad=True)
    message, _ = _warning_of(mg.compile(manual_sgd), mg.tensor([1.0, 1.0]))
    assert ".data was set" in message
    assert w.array.tolist() == pytest.approx([0.6, 1.6])  # all four steps happened


def test_gradient_clipping_inside_the_step_is_replayed():
    model, optimizer, _ = _trainer("mlp adam", compiled=False)
    eager_model, eager_optimizer, _ = _trainer("mlp adam", compiled=False)

    def step(m, opt, x, y):
        loss = F.cross_entropy(m(x), y)
        opt.zero_grad()
        loss.backward()
        clip_grad_norm_(m.parameters(), 0.5)
        opt.step()
        return loss.detach()
    compiled = mg.compile(lambda x, y: step(model, optimizer, x, y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x, y in _batches((20,), 8):
            a, b = step(eager_model, eager_optimizer, x, y), compiled(x, y)
            assert a.array.tobytes() == b.array.tobytes()
    assert compiled.last is not None


def test_a_branch_on_computed_values_keeps_the_step_eager():
    x = mg.tensor([1.0, 2.0], requires_grad=True)

    def power(e):
        y = (x ** (e * 1.0)).sum()  # the exponent is computed: Pow's backward branches on it
        x.grad = None
        y.backward()
        return x.grad
    message, results = _warning_of(mg.compile(power), mg.tensor([2.0, 0.0]))
    assert "branch" in message and results[-1].tolist() == [2.0, 0.0]
    x2 = mg.tensor([3.0], requires_grad=True)
    square = mg.compile(lambda t: (t * x2 ** 2).sum().detach())  # a constant exponent: fine
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(4):
            assert square(mg.tensor([1.0])).item() == 9.0


@pytest.mark.parametrize("loss", ["nll", "max", "bce", "mse_pow"])
def test_losses_and_reductions_with_data_dependent_constants_replay_exactly(loss):
    mg.manual_seed(0)
    layer = nn.Linear(6, 10)
    opt = optim.SGD(layer.parameters(), lr=0.1)

    def step(x, y):
        out = layer(x)
        if loss == "nll":
            value = F.nll_loss(out.log_softmax(1), y)
        elif loss == "max":
            value = out.max(1)[0].sum() + out.softmax(1).amax() + out.clamp(-0.1, 0.1).abs().sum()
        elif loss == "bce":
            labels = (y.reshape(-1, 1) > 1).float().expand(-1, 10)
            value = F.binary_cross_entropy(out.sigmoid(), labels)
        else:
            value = ((out - 1.0) ** 2).mean() + out.maximum(out * 0.5).sum()
        opt.zero_grad()
        value.backward()
        opt.step()
        return value.detach()
    compiled = mg.compile(step)
    reference = [step(x, y).array.copy() for x, y in _batches((6,), 10, batch=5)]
    mg.manual_seed(0)
    layer.__init__(6, 10)
    opt = optim.SGD(layer.parameters(), lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        replayed = [compiled(x, y).array.copy() for x, y in _batches((6,), 10, batch=5)]
    assert compiled.last is not None
    assert [r.tobytes() for r in reference] == [r.tobytes() for r in replayed]


def test_benchmark_replay_overhead_runs():
    from benchmarks.compiled import per_kernel_microseconds
    assert np.isfinite(per_kernel_microseconds(repeats=20))


def test_a_compiled_function_inside_a_compiled_step_is_recorded_by_the_outer_one():
    w = mg.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    inner = mg.compile(lambda x: (x * w).sum().detach())
    for _ in range(4):  # the inner one replays on its own first
        inner(mg.tensor([1.0, 1.0]))

    def outer(x):
        opt.zero_grad()
        loss = (x * w).sum() * 2.0
        loss.backward()
        opt.step()
        return inner(x)
    compiled = mg.compile(outer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [compiled(mg.tensor([1.0, 1.0])).item() for _ in range(6)]
    # w decreases by 0.2 per element per step; inner reports the sum after the update
    assert values == pytest.approx([3.0 - 0.4 * k for k in range(1, 7)])


def test_gradients_accumulate_over_micro_batches_as_in_eager_mode():
    results = []
    for compiled in (False, True):
        model, optimizer, _ = _trainer("mlp adam", compiled=False)

        def step(x, y):
            optimizer.zero_grad()
            for half in (slice(0, 8), slice(8, 16)):
                (F.cross_entropy(model(x[half]), y[half]) * 0.5).backward()
            optimizer.step()
            return model[0].weight.grad.detach()
        run = mg.compile(step) if compiled else step
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            results.append([run(x, y).array.copy() for x, y in _batches((20,), 6)])
    assert all(a.tobytes() == b.tobytes() for a, b in zip(*results))


def test_a_gradient_read_after_backward_is_never_overwritten_in_place():
    w = mg.tensor([1.0, 2.0], requires_grad=True)

    def step(x):
        w.grad = None
        (x * w).sum().backward()
        return (w.grad * 3.0).detach()  # Mul could fold into a dead operand: not into w.grad
    compiled = mg.compile(step)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(5):
            assert compiled(mg.tensor([1.0, 2.0])).tolist() == [3.0, 6.0]
            assert w.grad.tolist() == [1.0, 2.0]


def test_arguments_a_replay_cannot_feed_keep_the_call_eager():
    f = mg.compile(lambda x, scale=1.0: x * scale)
    with pytest.warns(RuntimeWarning, match="keyword tensor") as caught:
        assert f(mg.tensor([1.0]), scale=mg.tensor(2.0)).tolist() == [2.0]
    assert caught[0].filename == __file__  # the user's line, not minigrad/static
    g = mg.compile(lambda x: x * 2.0)
    with pytest.warns(RuntimeWarning, match="an array"):
        assert g(np.ones(1, np.float32)).tolist() == [2.0]
    assert not f.entries and not g.entries


def _strided_view(a):
    from numpy.lib.stride_tricks import as_strided
    return as_strided(a, (2,), a.strides)


def test_no_value_is_written_in_place_while_a_view_of_it_is_alive():
    from minigrad.static.hooks import kernel

    def step(x):
        h = x * 2.0
        view = mg.Tensor(kernel(_strided_view, h.array))
        out = h.relu()  # ReLU could fold into h, but the strided view of h is read below
        return (out + view.sum()).detach()
    compiled = mg.compile(step)
    x = mg.tensor([-1.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [compiled(x).tolist() for _ in range(5)]
    assert results[-1] == step(x).tolist() == [4.0, 10.0]


def test_random_tensors_made_inside_the_step_are_drawn_anew_by_each_replay():
    def noisy(x):
        return x + mg.randn(3) * 0.1 + mg.rand(3) + mg.randint(0, 5, (3,))
    compiled = mg.compile(noisy)
    x = mg.tensor([1.0, 2.0, 3.0])
    mg.manual_seed(3)
    eager = [noisy(x).array.copy() for _ in range(6)]
    mg.manual_seed(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        replayed = [compiled(x).array.copy() for _ in range(6)]
    assert compiled.last is not None
    assert [a.tobytes() for a in eager] == [b.tobytes() for b in replayed]


def _same_array(a):
    return np.asarray(a)  # returns its argument itself


def test_an_array_held_in_two_slots_is_never_written_in_place():
    from minigrad.static.hooks import kernel

    def step(x):
        h = x * 2.0
        alias = mg.Tensor(kernel(_same_array, h.array))
        out = h.relu()  # h dies here, but the same array lives on as `alias`
        return (out + alias).detach()
    compiled = mg.compile(step)
    x = mg.tensor([-1.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [compiled(x).tolist() for _ in range(5)]
    assert results[-1] == step(x).tolist() == [-2.0, 12.0]


def test_tracing_leaves_the_classes_as_they_were_even_when_the_step_raises():
    from minigrad.autograd.engine import Function
    from minigrad.optim.optimizer import Optimizer
    from minigrad.tensor import Tensor
    classes = (Tensor, Function, nn.Module, Optimizer, optim.Adam)
    before = [dict(vars(cls)) for cls in classes]

    def failing(x):
        (x * 2.0).sum()
        raise KeyError("inside the step")
    with pytest.raises(KeyError):
        mg.compile(failing)(mg.tensor([1.0]))
    _, _, step = _trainer("mlp adam", compiled=True)
    for x, y in _batches((20,), 4):
        step(x, y)
    for cls, saved in zip(classes, before):
        assert dict(vars(cls)) == saved, cls


class _SortValues(mg.autograd.Function):
    """out = a sorted; da = g scattered back to where each value came from (a test op whose
    backward reads an index its forward computed from the data)."""

    def forward(self, a):
        self.order = np.argsort(a, kind="stable")
        return a[self.order]

    def backward(self, grad, out):
        return (mg.ops.IndexAdd.apply(grad, index=self.order, shape=grad.shape),)


def test_an_index_a_primitive_saved_in_its_forward_is_fed_anew_to_its_backward():
    w = mg.tensor([0.0, 0.0, 0.0], requires_grad=True)

    def step(x):
        w.grad = None
        out = _SortValues.apply(x + w)
        (out * mg.tensor([1.0, 2.0, 3.0])).sum().backward()
        return w.grad.detach()
    compiled = mg.compile(step)
    rng = np.random.default_rng(0)
    xs = [mg.tensor(rng.permutation(3).astype(np.float32)) for _ in range(8)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = [compiled(x).tolist() for x in xs]
    assert compiled.last is not None
    assert got == [step(x).tolist() for x in xs]


def test_overlapping_max_pooling_replays_with_positions_found_anew():
    # 3x3 windows at stride 2 take the general pooling path; the maxima move with the input.
    layer = mg.nn.MaxPool2d(3, stride=2, padding=1)
    step = mg.compile(lambda x: layer(x).sum())
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(6):
            x = mg.tensor(rng.standard_normal((2, 3, 7, 7)).astype(np.float32))
            assert step(x).item() == layer(x).sum().item()


def test_smooth_l1_mask_is_recomputed_when_replayed():
    # The first calls have every residual inside beta, the later ones outside: a mask frozen
    # into the recording would keep the quadratic branch and give wrong losses silently.
    step = mg.compile(lambda x, y: F.smooth_l1_loss(x, y))
    zeros = mg.zeros(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for scale in (0.1, 0.2, 0.3, 0.4, 5.0, 7.0):
            x = mg.full((5,), scale)
            assert step(x, zeros).item() == pytest.approx(F.smooth_l1_loss(x, zeros).item())


def test_a_numpy_array_given_to_an_op_while_tracing_says_a_tensor_is_expected():
    step = mg.compile(lambda x, y: mg.ops.Add.apply(x, y))
    with pytest.raises(TypeError, match=r"Add expects Tensor inputs, but input 1 is a "
                                        r"numpy\.ndarray"):
        step(mg.ones(2), np.ones(2, dtype=np.float32))


class _TinySequenceModel(nn.Module):
    """Every sequence layer once: embedding, layer/RMS norm, causal multi-head attention with
    dropout, scaled_dot_product_attention, GELU, a GRU and an LSTM."""

    def __init__(self, vocab=11, width=8):
        super().__init__()
        self.embed = nn.Embedding(vocab, width, padding_idx=0)
        self.norm, self.rms = nn.LayerNorm(width), nn.RMSNorm(width)
        self.attention = nn.MultiheadAttention(width, 2, dropout=0.2, batch_first=True)
        self.gru = nn.GRU(width, width, batch_first=True)
        self.lstm = nn.LSTM(width, width, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * width, vocab)

    def forward(self, tokens):
        x = self.embed(tokens)
        h = self.norm(x)
        causal = mg.tensor(np.triu(np.ones((tokens.shape[1],) * 2, dtype=bool), 1))
        x = x + self.attention(h, h, h, attn_mask=causal, need_weights=False)[0]
        q = self.rms(x).reshape(x.shape[0], x.shape[1], 2, -1).transpose(1, 2)
        x = x + F.scaled_dot_product_attention(q, q, q, is_causal=True).transpose(1, 2) \
            .reshape(x.shape)
        x = F.gelu(self.gru(x)[0])
        return self.head(self.lstm(x)[0])


def test_compiled_sequence_layers_step_replays_bit_identically():
    rng = np.random.default_rng(4)
    batches = [(mg.tensor(rng.integers(0, 11, (3, 5))), mg.tensor(rng.integers(0, 11, (3, 5))))
               for _ in range(6)]
    results = []
    for compiled in (False, True):
        mg.manual_seed(0)
        model = _TinySequenceModel()
        optimizer = optim.AdamW(model.parameters(), lr=1e-2)

        def step(tokens, targets):
            loss = F.cross_entropy(model(tokens).reshape(-1, 11), targets.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            return loss.detach()
        run = mg.compile(step) if compiled else step
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback to eager allowed here
            losses = [run(x, y).array.copy() for x, y in batches]
        if compiled:
            assert run.last is not None, "the step was never replayed"
        results.append((losses, [p.array.copy() for p in model.parameters()]))
    (eager_losses, eager_params), (losses, params) = results
    assert [a.tobytes() for a in eager_losses] == [b.tobytes() for b in losses]
    assert all(p.tobytes() == q.tobytes() for p, q in zip(eager_params, params))
