"""Failing loudly and safely: aliasing, non-contiguous inputs, empty batches, in-place
modification, anomaly detection, and checkpoints under errors and kills."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from minigrad.nn import functional as F
from conftest import leaf


def test_leaf_gradients_never_alias_the_upstream_gradient_or_parameter_data():
    w = nn.Parameter(np.ones(3))
    upstream = mg.Tensor(np.array([1.0, 2.0, 3.0]))
    (w + 0.0).backward(upstream)
    assert not np.shares_memory(w.grad.array, upstream.array)
    assert not np.shares_memory(w.grad.array, w.array)
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (a + b).backward(mg.Tensor(np.ones(2)))
    assert not np.shares_memory(a.grad.array, b.grad.array)


def test_non_contiguous_inputs_give_the_same_results_as_contiguous_copies():
    rng = np.random.default_rng(0)
    base = rng.standard_normal((6, 8))
    views = {"transposed": base.T, "sliced": base[::2, 1::3], "reversed": base[::-1]}
    for name, view in views.items():
        for fn in (lambda t: (t.exp() * t).sum(0), lambda t: t.softmax(-1), lambda t: t @ t.T,
                   lambda t: F.linear(t, mg.Tensor(np.ones((3, t.shape[1]))))):
            strided, contiguous = leaf(view), leaf(np.ascontiguousarray(view))
            out_s, out_c = fn(strided), fn(contiguous)
            np.testing.assert_allclose(out_s.array, out_c.array, rtol=1e-13, err_msg=name)
            out_s.sum().backward()
            out_c.sum().backward()
            np.testing.assert_allclose(strided.grad.array, contiguous.grad.array, rtol=1e-13)


def test_empty_batches_follow_pytorch():
    empty = mg.zeros(0, 4)
    assert nn.Linear(4, 3)(empty).shape == (0, 3)
    assert nn.ReLU()(empty).shape == (0, 4)
    assert nn.Conv2d(1, 2, 3)(mg.zeros(0, 1, 5, 5)).shape == (0, 2, 3, 3)
    assert nn.MaxPool2d(2)(mg.zeros(0, 1, 4, 4)).shape == (0, 1, 2, 2)
    with np.errstate(invalid="ignore"):
        assert np.isnan(F.cross_entropy(mg.zeros(0, 3), mg.Tensor(np.zeros(0, np.int64))).item())
    assert F.cross_entropy(mg.zeros(0, 3), mg.Tensor(np.zeros(0, np.int64)), reduction="sum").item() == 0
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        nn.BatchNorm1d(4)(empty)


@pytest.mark.parametrize("modify", [
    lambda t: t.add_(1.0), lambda t: t.mul_(2.0), lambda t: t.zero_(), lambda t: t.fill_(3.0),
    lambda t: t.copy_(np.ones(2)), lambda t: t.__setitem__(0, 5.0), lambda t: t.sub_(1.0),
])
def test_changing_a_saved_tensor_in_place_is_detected(modify):
    x = leaf([1.0, 2.0])
    hidden = x * 1.0
    out = (hidden * hidden).sum()  # Mul saves hidden
    with mg.no_grad():
        modify(hidden)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.backward()


def test_in_place_error_is_raised_before_any_gradient_is_accumulated():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    hidden = b * 1.0
    loss = (a * 2.0).sum() + (hidden * hidden).sum()  # a's branch would be reached first
    with mg.no_grad():
        hidden.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
    assert a.grad is None and b.grad is None
    with mg.no_grad():
        hidden.sub_(1.0)  # versions never go back: the graph stays refused, and intact
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_changing_a_saved_output_in_place_is_detected():
    x = leaf([0.5, -1.0])
    y = x.sigmoid()  # its backward reads its own output
    loss = y.sum()
    with mg.no_grad():
        y.mul_(2.0)
    with pytest.raises(RuntimeError, match="output 0 of SigmoidBackward"):
        loss.backward()


def test_in_place_change_of_an_unsaved_tensor_is_fine():
    x = leaf([1.0, 2.0])
    y = x + 1.0
    z = (y + 1.0).sum()  # Add saves nothing
    with mg.no_grad():
        y.add_(10.0)
    z.backward()
    np.testing.assert_array_equal(x.grad.array, [1.0, 1.0])


def test_anomaly_mode_costs_nothing_when_off_and_is_scoped():
    x = leaf([1.0])
    y = x * 2.0
    assert not hasattr(y.grad_fn, "_created_at")
    with mg.autograd.detect_anomaly():
        z = x * 2.0
    assert "test_robustness.py" in z.grad_fn._created_at
    bad = leaf([-1.0])
    with mg.autograd.detect_anomaly():
        loss = bad.log().sum()  # d log / dx at -1 is finite, but log(-1) itself is nan
        loss.backward()  # a nan *value* is not a nan *gradient*: no error
        with pytest.raises(RuntimeError, match=r"'SqrtBackward' returned nan"):
            (mg.Tensor(np.array([-1.0]), requires_grad=True).sqrt() * 1.0).sum().backward()


def test_save_errors_name_the_path_and_keep_the_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "model.mg"
    mg.save({"version": 1}, path)
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match=f"could not save checkpoint to {path}: Permission denied"):
        mg.save({"version": 2}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.mg"]
    with pytest.raises(OSError, match="could not save checkpoint to .*missing.*mg"):
        mg.save({"version": 2}, tmp_path / "missing" / "model.mg")


WRITER = textwrap.dedent("""
    import sys, numpy as np, minigrad as mg
    path = sys.argv[1]
    step = 0
    while True:
        step += 1
        mg.save({"step": step, "payload": np.full(100_000, step, dtype=np.int64)}, path)
        if step == 1:  # one save done: the kill below lands somewhere in the next ones
            print("ready", flush=True)
""")


def test_checkpoint_survives_sigkill_at_random_moments(tmp_path):
    path = tmp_path / "ckpt.mg"
    mg.save({"step": 0, "payload": np.zeros(100_000, dtype=np.int64)}, path)
    rng = np.random.default_rng(0)
    last_step = 0
    for _ in range(30):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                                   stdout=subprocess.PIPE, text=True,
                                   env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
        # Wait for the import and a first save (slow on a loaded machine), then kill at random.
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.15))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = mg.load(path)  # always a whole checkpoint, old or new
        assert np.all(state["payload"] == state["step"])
        last_step = max(last_step, state["step"])
    assert last_step > 0  # the writer did get to replace the file
