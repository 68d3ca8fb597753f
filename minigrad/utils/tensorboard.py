"""PyTorch's ``torch.utils.tensorboard.SummaryWriter``, writing real TensorBoard event files
through the maintained ``tensorboardX`` library (an optional extra: ``pip install
minigrad[tensorboard]``), never a hand-written protobuf encoder.

    with SummaryWriter("runs/exp1") as writer:
        for step in range(100):
            writer.add_scalar("loss/train", loss, step)       # a Tensor or a number
        writer.add_histogram("fc.weight", model.fc.weight, step)

``tensorboard --logdir runs`` then shows the curves. Every value may be a minigrad Tensor:
it is handed to tensorboardX as its NumPy array.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

import numpy as np

from ..tensor import Tensor

EXTRA_HINT = ("SummaryWriter needs the tensorboardX package, an optional extra of minigrad: "
              "pip install minigrad[tensorboard]")


class _NoRealTorch(importlib.abc.MetaPathFinder):
    """Refuses ``import torch`` while tensorboardX is imported: tensorboardX imports PyTorch if
    it finds it (only to recognise its tensors), and minigrad must never load real PyTorch
    (it would cost seconds, and ``minigrad run`` could no longer stand in for it)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] == "torch":
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def is_available() -> bool:
    """True if tensorboardX is installed (looked up, not imported)."""
    return importlib.util.find_spec("tensorboardX") is not None


def load_tensorboardx():
    """The ``tensorboardX`` module, imported without real PyTorch; ImportError naming the
    extra when it is not installed."""
    if sys.modules.get("tensorboardX") is not None:
        return sys.modules["tensorboardX"]
    # Under ``minigrad run``, "torch" is already minigrad: tensorboardX may then see it.
    blocker = None if "torch" in sys.modules else _NoRealTorch()
    if blocker is not None:
        sys.meta_path.insert(0, blocker)
    try:
        return importlib.import_module("tensorboardX")
    except ImportError as error:
        raise ImportError(f"{EXTRA_HINT} ({error})") from None
    finally:
        if blocker is not None:
            sys.meta_path.remove(blocker)


def _plain(value):
    """A Tensor as its NumPy array (a 0-d one as a Python number); containers element-wise."""
    if isinstance(value, Tensor):
        return value.array.item() if value.array.ndim == 0 else value.array
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) for v in value):
        return np.stack([np.asarray(_plain(v)) for v in value])
    return value


class SummaryWriter:
    """Writes scalars, histograms, text, images and hyperparameters to an event file in
    ``log_dir`` (default ``runs/<date>_<host><comment>``, as PyTorch), for TensorBoard.
    PyTorch's signature: ``SummaryWriter(log_dir=None, comment='', purge_step=None,
    max_queue=10, flush_secs=120, filename_suffix='')``."""

    def __init__(self, log_dir=None, comment: str = "", purge_step=None, max_queue: int = 10,
                 flush_secs: int = 120, filename_suffix: str = ""):
        self._tensorboardx = tensorboardx = load_tensorboardx()
        self._runs: dict = {}  # add_scalars' one writer per curve, by directory
        self._writer = tensorboardx.SummaryWriter(
            logdir=None if log_dir is None else str(log_dir), comment=comment,
            purge_step=purge_step, max_queue=max_queue, flush_secs=flush_secs,
            filename_suffix=filename_suffix)
        self.log_dir = self._writer.logdir

    def get_logdir(self) -> str:
        return self.log_dir

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False,
                   double_precision=False):
        """One point of the curve ``tag``. (``new_style`` / ``double_precision`` are accepted
        for PyTorch's signature; the point is written in TensorBoard's classic format.)"""
        self._writer.add_scalar(tag, _scalar(tag, scalar_value), global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Several curves on one chart: the value of each key is written under ``main_tag``
        in its own run ``<log_dir>/<main_tag>_<key>`` (slashes in main_tag become "_"), the
        layout PyTorch's writer uses, so TensorBoard overlays them."""
        for key, value in tag_scalar_dict.items():
            run = f"{self.log_dir}/{main_tag.replace('/', '_')}_{key}"
            if run not in self._runs:
                self._runs[run] = self._tensorboardx.SummaryWriter(logdir=run)
            self._runs[run].add_scalar(main_tag, _scalar(f"{main_tag}/{key}", value),
                                       global_step, walltime)

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None,
                      max_bins=None):
        """The distribution of ``values`` (e.g. a layer's weights) at this step."""
        self._writer.add_histogram(tag, np.asarray(_plain(values)), global_step, bins,
                                   walltime, max_bins)

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        self._writer.add_text(tag, text_string, global_step, walltime)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """An image, values in [0, 1] (float) or [0, 255] (uint8), laid out as ``dataformats``."""
        self._writer.add_image(tag, np.asarray(_plain(img_tensor)), global_step, walltime,
                               dataformats)

    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None,
                    run_name=None, global_step=None):
        """One row of TensorBoard's hyperparameter table: the run's settings and its final
        metrics. (``hparam_domain_discrete`` is accepted for PyTorch's signature.)"""
        metrics = {key: _scalar(key, value) for key, value in metric_dict.items()}
        self._writer.add_hparams(_plain(dict(hparam_dict)), metrics, name=run_name,
                                 global_step=global_step)

    def flush(self):
        """Write everything pending to disk now."""
        for writer in (self._writer, *self._runs.values()):
            writer.flush()

    def close(self):
        for writer in (self._writer, *self._runs.values()):
            writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False


def _scalar(tag, value) -> float:
    value = _plain(value)
    if np.ndim(value) != 0:
        raise ValueError(f"SummaryWriter: the scalar for {tag!r} must be a number or a "
                         f"one-element tensor; got shape {np.shape(value)}")
    return float(value)
