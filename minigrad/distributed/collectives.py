"""Collectives on Tensors, in place, with PyTorch's names: ``all_reduce``, ``broadcast``,
``barrier``, plus ``all_gather_object`` / ``broadcast_object_list`` for small Python values.

Each call starts MPI's non-blocking version and then waits for it by polling, with short
sleeps between polls: that is what lets a collective give up after the group's timeout
(a blocking MPI call would wait forever for a peer that hangs), and it leaves the core to
the other processes while waiting instead of spinning on it. ``async_op=True`` returns the
``Work`` handle at once, so the caller can compute while the data travels (DDP does).
"""
from __future__ import annotations

import enum
import time

import numpy as np

from ..tensor import Tensor
from .process_group import _mpi, abort, communicator, timeout_seconds

_SUPPORTED_KINDS = "fiub"  # float, signed and unsigned int, bool


class ReduceOp(enum.Enum):
    """How ``all_reduce`` combines the ranks' values, elementwise: SUM, AVG (the sum divided
    by the world size; floating point only), MAX or MIN."""
    SUM = "sum"
    AVG = "avg"
    MAX = "max"
    MIN = "min"


class Work:
    """A collective in flight: ``wait()`` blocks until it is done (or raises after the
    group's timeout); ``is_completed()`` checks without blocking."""

    def __init__(self, request, what: str, finish=None):
        self._request, self._what, self._finish, self._done = request, what, finish, False

    def is_completed(self) -> bool:
        if not self._done and self._request.Test():
            self._complete()
        return self._done

    def wait(self) -> bool:
        if self._done:
            return True
        deadline = time.monotonic() + timeout_seconds()
        pause = 1e-5
        while not self._request.Test():
            if time.monotonic() > deadline:
                message = (f"{self._what} did not complete within {timeout_seconds():g} s: a "
                           "peer rank has died or stopped participating")
                abort(message)  # the peers are stuck too: end the job, not just this rank
                raise RuntimeError(message)  # only reached if MPI did not end the process
            time.sleep(pause)
            pause = min(pause * 2, 2e-4)  # poll quickly at first, then every 0.2 ms
        self._complete()
        return True

    def _complete(self):
        self._done = True
        if self._finish is not None:
            self._finish()


def _array_of(tensor, name) -> np.ndarray:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{name} expects a minigrad Tensor; got {type(tensor).__name__}")
    array = tensor.array
    if array.dtype.kind not in _SUPPORTED_KINDS or array.dtype == np.float16:
        raise TypeError(f"{name} does not support dtype {array.dtype}: use a float32/float64, "
                        "integer or bool tensor")
    return array


def _buffer(array):
    # MPI needs contiguous memory; a non-contiguous tensor travels through a copy.
    return array if array.flags.c_contiguous else np.ascontiguousarray(array)


def all_reduce(tensor: Tensor, op: ReduceOp = ReduceOp.SUM, group=None, async_op: bool = False):
    """Combine ``tensor`` over all ranks with ``op`` and write the result into ``tensor`` on
    every rank (in place; its version counter is not bumped, as in PyTorch)."""
    array = _array_of(tensor, "all_reduce")
    if not isinstance(op, ReduceOp):
        raise ValueError(f"op must be a ReduceOp (SUM, AVG, MAX, MIN); got {op!r}")
    if op is ReduceOp.AVG and array.dtype.kind != "f":
        raise TypeError(f"ReduceOp.AVG needs a floating-point tensor; got {array.dtype}")
    if array.dtype == np.bool_ and op is ReduceOp.SUM:
        raise TypeError("ReduceOp.SUM of a bool tensor is not defined; use MAX (any) or MIN (all)")
    comm, MPI = communicator(), _mpi()
    mpi_op = {ReduceOp.SUM: MPI.SUM, ReduceOp.AVG: MPI.SUM, ReduceOp.MAX: MPI.MAX,
              ReduceOp.MIN: MPI.MIN}[op]
    if array.dtype == np.bool_:
        mpi_op = MPI.LOR if op is ReduceOp.MAX else MPI.LAND
    buffer = _buffer(array)
    world = comm.Get_size()

    def finish():
        if op is ReduceOp.AVG:
            np.divide(buffer, world, out=buffer)
        if buffer is not array:
            array[...] = buffer

    work = Work(comm.Iallreduce(MPI.IN_PLACE, buffer, op=mpi_op),
                f"all_reduce of a {array.dtype} tensor of shape {array.shape}", finish)
    return work if async_op else work.wait() and None


def broadcast(tensor: Tensor, src: int = 0, group=None, async_op: bool = False):
    """Overwrite ``tensor`` on every rank with its value on rank ``src``."""
    array = _array_of(tensor, "broadcast")
    comm = communicator()
    if not isinstance(src, int) or not 0 <= src < comm.Get_size():
        raise ValueError(f"src must be a rank in [0, {comm.Get_size() - 1}]; got {src!r}")
    buffer = _buffer(array)

    def finish():
        if buffer is not array:
            array[...] = buffer

    work = Work(comm.Ibcast(buffer, root=src),
                f"broadcast of a {array.dtype} tensor of shape {array.shape}", finish)
    return work if async_op else work.wait() and None


def barrier(group=None, async_op: bool = False):
    """Return only when every rank has called ``barrier``."""
    work = Work(communicator().Ibarrier(), "barrier")
    return work if async_op else work.wait() and None


def all_gather_object(object_list: list, obj, group=None) -> None:
    """Fill ``object_list`` (one slot per rank) with every rank's ``obj`` (picklable; meant
    for small values such as metrics, never for untrusted peers)."""
    comm = communicator()
    if len(object_list) != comm.Get_size():
        raise ValueError(f"object_list must have world_size={comm.Get_size()} slots; got "
                         f"{len(object_list)}")
    barrier()  # bounded wait first; the gather itself then finds every peer ready
    object_list[:] = comm.allgather(obj)


def broadcast_object_list(object_list: list, src: int = 0, group=None) -> None:
    """Replace the items of ``object_list`` on every rank with those of rank ``src``."""
    comm = communicator()
    barrier()
    object_list[:] = comm.bcast(list(object_list), root=src)
