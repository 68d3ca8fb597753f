import os
from pathlib import Path

import numpy as np
import pytest

import minigrad

# Tests find MNIST through MINIGRAD_DATA; point it at the shared copy when that exists.
_shared = Path(__file__).resolve().parents[2] / "shared" / "data"
if "MINIGRAD_DATA" not in os.environ and _shared.is_dir():
    os.environ["MINIGRAD_DATA"] = str(_shared)


@pytest.fixture(autouse=True)
def _seeded():
    minigrad.manual_seed(0)
    yield


def leaf(array, requires_grad=True):
    """A float64 leaf tensor, the precision gradcheck needs."""
    return minigrad.Tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)
