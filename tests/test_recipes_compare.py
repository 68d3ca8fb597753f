"""The optimizer comparison: every optimizer from the same start, and a diverging one recorded
as such while the others still train and are tested."""
import json
import os

import numpy as np
import pytest

from minigrad import optim
from minigrad.recipes import choices
from minigrad.recipes.compare import compare

pytestmark = pytest.mark.skipif(
    not os.path.isdir(os.path.join(os.environ.get("MINIGRAD_DATA", ""), "mnist")),
    reason="needs MNIST")
CONFIG = {"model": "mlp", "batch_size": 100, "seed": 0, "dataset": "mnist", "subset": 1000,
          "val_size": 100, "epochs": 2}


def test_a_diverging_optimizer_is_recorded_and_the_comparison_goes_on(tmp_path, monkeypatch):
    # SGD at lr 1e4 overflows to a NaN loss in its first epoch.
    monkeypatch.setitem(choices.OPTIMIZERS, "sgd", (optim.SGD, 1e4, {}))
    logged = []
    with np.errstate(all="ignore"):  # as the command line: the NaN is the report
        results, table = compare(["sgd", "adam"], CONFIG, tmp_path, progress=False,
                                 log=logged.append)
    assert results["sgd"]["diverged_at_epoch"] == 1
    assert results["sgd"]["test_accuracy"] is None and results["sgd"]["history"] == []
    assert results["adam"]["diverged_at_epoch"] is None
    assert 0.5 < results["adam"]["test_accuracy"] <= 1  # trained and tested after it
    assert [record["epoch"] for record in results["adam"]["history"]] == [1, 2]
    assert "| sgd | 10000 | diverged in epoch 1 |" in table and "| adam | 0.001 |" in table
    assert logged[0] == "sgd       diverged (NaN loss) in epoch 1"
    saved = json.loads((tmp_path / "comparison.json").read_text())
    assert saved["sgd"]["diverged_at_epoch"] == 1 and saved["adam"]["test_accuracy"] > 0.5
    assert (tmp_path / "comparison.md").read_text().strip() == table
