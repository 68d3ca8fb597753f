"""``minigrad.distributed``: data-parallel training over MPI, with PyTorch's names.

    mpiexec -n 2 python train.py          # as root: mpiexec --allow-run-as-root ...

    import minigrad.distributed as dist
    dist.init_process_group("mpi")
    dist.all_reduce(tensor, op=dist.ReduceOp.AVG)

Importing this package does not import mpi4py; the first call that needs MPI does, and
says what to install when it is missing (``pip install 'minigrad[mpi]'``).
"""
from .collectives import (ReduceOp, Work, all_gather_object, all_reduce, barrier, broadcast,
                          broadcast_object_list)
from .parameter_server import AsyncParameterServer
from .process_group import (DistributedUnavailable, abort, destroy_process_group, get_rank, get_world_size,
                            init_process_group, is_available, is_initialized,
                            launched_world_size)

__all__ = ["AsyncParameterServer", "DistributedUnavailable", "ReduceOp", "Work", "abort", "all_gather_object",
           "all_reduce", "barrier", "broadcast", "broadcast_object_list", "destroy_process_group",
           "get_rank", "get_world_size", "init_process_group", "is_available", "is_initialized",
           "launched_world_size"]
