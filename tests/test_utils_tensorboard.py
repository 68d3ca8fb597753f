"""SummaryWriter writes event files that TensorBoard reads: read back here with the event
protocol of tensorboardX (the extra the writer needs) and, where TensorBoard itself is
installed, with its own EventAccumulator."""
import glob
import importlib.util
import os
import struct
import subprocess
import sys

import numpy as np
import pytest

import minigrad as mg
from minigrad.utils.tensorboard import SummaryWriter, load_tensorboardx

# The optional extra (in the test extra, so CI has it). Looked up, not imported: a plain import
# of tensorboardX would load real PyTorch into this process, which the writer prevents.
pytestmark = pytest.mark.skipif(importlib.util.find_spec("tensorboardX") is None,
                                reason="the tensorboard extra (tensorboardX) is not installed")


def read_events(directory):
    """Every Event in the event files of ``directory`` (not its subfolders), in order. An
    event file is a sequence of records: a little-endian uint64 length, its 4-byte CRC, the
    serialized Event, and the data's 4-byte CRC."""
    load_tensorboardx()  # tensorboardX, without real PyTorch
    from tensorboardX.proto.event_pb2 import Event
    events = []
    for path in sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*"))):
        with open(path, "rb") as handle:
            content = handle.read()
        offset = 0
        while offset < len(content):
            (length,) = struct.unpack("<Q", content[offset:offset + 8])
            events.append(Event.FromString(content[offset + 12:offset + 12 + length]))
            offset += 12 + length + 4
    return events


def scalars(directory, tag):
    return [(e.step, e.summary.value[0].simple_value) for e in read_events(directory)
            if e.HasField("summary") and e.summary.value[0].tag == tag]


def write_a_run(log_dir):
    weights = mg.tensor(np.linspace(-1.0, 1.0, 101))
    with SummaryWriter(log_dir) as writer:
        for step in range(3):
            writer.add_scalar("loss/train", mg.tensor(1.0 / (step + 1)), step)  # a Tensor
        writer.add_scalar("lr", 0.1, 5)  # a number
        writer.add_scalars("accuracy", {"train": 0.75, "val": mg.tensor(0.5)}, 2)
        writer.add_histogram("fc.weight", weights, 0)
        writer.add_text("notes", "a first run", 0)
        writer.flush()
    return weights


def test_scalars_histogram_and_text_are_read_back(tmp_path):
    weights = write_a_run(tmp_path)
    assert scalars(tmp_path, "loss/train") == [(0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))]
    assert scalars(tmp_path, "lr") == [(5, pytest.approx(0.1))]
    # add_scalars: one run per key, named as PyTorch names them, the value under main_tag.
    assert scalars(tmp_path / "accuracy_train", "accuracy") == [(2, 0.75)]
    assert scalars(tmp_path / "accuracy_val", "accuracy") == [(2, 0.5)]
    histograms = [e.summary.value[0].histo for e in read_events(tmp_path)
                  if e.HasField("summary") and e.summary.value[0].tag == "fc.weight"]
    assert len(histograms) == 1
    histogram = histograms[0]
    assert (histogram.num, histogram.min, histogram.max) == (101, -1.0, 1.0)
    assert histogram.sum == pytest.approx(float(weights.array.sum()), abs=1e-9)
    assert histogram.sum_squares == pytest.approx(float((weights.array ** 2).sum()))
    texts = [e.summary.value[0].tensor.string_val[0] for e in read_events(tmp_path)
             if e.HasField("summary") and e.summary.value[0].tag.startswith("notes")]
    assert texts == [b"a first run"]


def test_tensorboards_own_reader_sees_the_run(tmp_path):
    from tensorboard.backend.event_processing import event_accumulator as accumulator  # [test]
    write_a_run(tmp_path)
    events = accumulator.EventAccumulator(str(tmp_path))
    events.Reload()
    assert [(s.step, s.value) for s in events.Scalars("loss/train")] == \
        [(0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))]
    assert events.Histograms("fc.weight")[0].histogram_value.num == 101


def test_hyperparameters_and_default_log_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    writer = SummaryWriter(comment="_lr0.1")
    # PyTorch's default: runs/<date>_<host><comment>
    assert writer.get_logdir().startswith("runs" + os.sep) and writer.log_dir.endswith("_lr0.1")
    writer.add_hparams({"lr": 0.1, "optimizer": "sgd"}, {"hparam/accuracy": mg.tensor(0.9)})
    writer.close()
    tags = {v.tag for directory, _, _ in os.walk(writer.log_dir) for e in read_events(directory)
            if e.HasField("summary") for v in e.summary.value}
    assert {"_hparams_/experiment", "hparam/accuracy"} <= tags


def test_a_non_scalar_value_is_refused_naming_the_tag(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        with pytest.raises(ValueError, match=r"'loss' must be a number .* got shape \(2,\)"):
            writer.add_scalar("loss", mg.ones(2), 0)


def test_without_tensorboardx_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboardX", None)  # None: the import fails
    with pytest.raises(ImportError, match=r"pip install minigrad\[tensorboard\]"):
        SummaryWriter("unused")


def test_importing_the_writer_never_loads_real_pytorch():
    # In a fresh process: tensorboardX imports PyTorch if it can; the writer must prevent it.
    code = ("import sys; from minigrad.utils.tensorboard import load_tensorboardx; "
            "load_tensorboardx(); print(sorted(m for m in sys.modules if m.split('.')[0] == "
            "'torch'))")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # this checkout
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": root})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
