"""What the training loop and the command line need to run under ``mpiexec -n K``.

Each helper is the identity (or a no-op) in an ordinary single-process run, so the loop
calls them unconditionally:

- ``init_from_environment``: join the process group when mpiexec started more than one
  process (read from the environment, so a plain run never imports MPI);
- ``main_process_first``: rank 0 runs a block first (e.g. downloads the data), the others
  wait and then run it (and find the files);
- ``wrap_model``: DistributedDataParallel for the model (the training data's shard is
  ``minigrad.utils.data.shard_loader``); ``unwrap`` gives back the plain model, whose
  state_dict is what checkpoints hold (so they load with or without MPI);
- ``is_main_process``: only rank 0 prints and writes history and checkpoints;
- ``sum_over_ranks``: metrics of the whole global batch, not of one rank's part.
"""
from __future__ import annotations

import contextlib

import numpy as np

from .collectives import all_reduce, barrier
from .process_group import (abort, get_rank, get_world_size, init_process_group, is_initialized,
                            launched_world_size)


def init_from_environment(timeout=None) -> bool:
    """Join the default group if mpiexec started several processes; True when distributed."""
    if not is_initialized() and launched_world_size() > 1:
        init_process_group("mpi", timeout=timeout)
    return is_initialized()


def is_main_process() -> bool:
    return not is_initialized() or get_rank() == 0


def world_size() -> int:
    return get_world_size() if is_initialized() else 1


@contextlib.contextmanager
def main_process_first():
    """Rank 0 runs the block, then the others do; a no-op without a process group."""
    if is_initialized() and get_rank() != 0:
        barrier()
    yield
    if is_initialized() and get_rank() == 0:
        barrier()


def wrap_model(model):
    if not is_initialized():
        return model
    from ..nn.parallel import DistributedDataParallel
    return DistributedDataParallel(model)


def unwrap(model):
    from ..nn.parallel import DistributedDataParallel
    return model.module if isinstance(model, DistributedDataParallel) else model


def sum_over_ranks(*values) -> tuple:
    """Each value summed over every rank (float64), as a tuple; unchanged without a group."""
    if not is_initialized():
        return values
    from ..tensor import Tensor
    totals = Tensor(np.array(values, dtype=np.float64))
    all_reduce(totals)
    return tuple(totals.array.tolist())


def abort_on_error(message: str) -> None:
    """In a distributed run, end every rank now with ``message`` (a rank that exits alone
    leaves the others waiting); nothing otherwise, and the caller reports the error."""
    if is_initialized():
        abort(message)


def describe_world(batch_size: int) -> str:
    """'' for one process; else ', 2 processes x batch 128 = global batch 256'."""
    world = world_size()
    return "" if world == 1 else (f", {world} processes x batch {batch_size} = global batch "
                                  f"{world * batch_size}")
