"""The recurrent benchmark rows train: a few steps of the LSTM and GRU language models
move every parameter and lower the loss on a fixed batch."""
import numpy as np
import pytest

import minigrad as mg
from minigrad import nn
from benchmarks.recurrent import VOCAB, MinigradRecurrent, add_recurrent_workloads


@pytest.mark.parametrize("cell", ["LSTM", "GRU"])
def test_a_row_trains(cell):
    workload = MinigradRecurrent(cell, fraction=0.01)
    x, y = workload.batches[0]

    def loss():
        with mg.no_grad():
            logits = workload.model(x).reshape(-1, VOCAB)
            return nn.functional.cross_entropy(logits, y.reshape(-1)).item()
    before = [p.array.copy() for p in workload.model.parameters()]
    start = loss()
    workload.batches = workload.batches[:1]
    workload.epoch(max_batches=5)
    assert loss() < start
    assert all(not np.array_equal(a, p.array) for a, p in zip(before, workload.model.parameters()))


def test_rows_are_named_for_the_runner():
    names = list(add_recurrent_workloads({}, 0.01, with_torch=False))
    assert names == ["minigrad  LSTM adam b32 L16", "minigrad  GRU adam b32 L16"]
