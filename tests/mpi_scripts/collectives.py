"""Each rank checks all_reduce / broadcast / barrier against values computed with NumPy
from every rank's known input, and main_process_first's order (in the folder argv[1]);
prints 'ok <rank>'."""
import os
import sys
import time

import numpy as np

import minigrad as mg
import minigrad.distributed as dist
from minigrad.distributed.training import main_process_first

dist.init_process_group("mpi", timeout=60)
rank, world = dist.get_rank(), dist.get_world_size()


def value(r, dtype):
    # Rank r's input: distinct per rank and element, exactly representable in every dtype.
    return (np.arange(6).reshape(2, 3) * (r + 1) - 3 * r).astype(dtype)


inputs = [value(r, np.float64) for r in range(world)]
expected = {dist.ReduceOp.SUM: np.sum(inputs, axis=0), dist.ReduceOp.MAX: np.max(inputs, axis=0),
            dist.ReduceOp.MIN: np.min(inputs, axis=0), dist.ReduceOp.AVG: np.mean(inputs, axis=0)}
for dtype in (np.float32, np.float64, np.int32, np.int64):
    for op, want in expected.items():
        tensor = mg.Tensor(value(rank, dtype), dtype=dtype)
        if op is dist.ReduceOp.AVG and np.dtype(dtype).kind != "f":
            try:
                dist.all_reduce(tensor, op=op)
            except TypeError as error:
                assert "AVG" in str(error)
                continue
            raise AssertionError("AVG of an integer tensor must be refused")
        dist.all_reduce(tensor, op=op)
        assert tensor.dtype == dtype, (op, dtype, tensor.dtype)
        np.testing.assert_allclose(tensor.array, want.astype(dtype), rtol=1e-6,
                                   err_msg=f"{op} {dtype}")
    for src in range(world):
        tensor = mg.Tensor(value(rank, dtype), dtype=dtype)
        dist.broadcast(tensor, src=src)
        np.testing.assert_array_equal(tensor.array, value(src, dtype))

# A non-contiguous tensor travels through a copy and is written back.
tensor = mg.Tensor(np.asfortranarray(value(rank, np.float64)))
dist.all_reduce(tensor)
np.testing.assert_array_equal(tensor.array, expected[dist.ReduceOp.SUM])
# bool: MAX is any, MIN is all.
flags = mg.Tensor(np.array([rank == 0, True, False]))
dist.all_reduce(flags, op=dist.ReduceOp.MAX)
assert flags.array.tolist() == [True, True, False]
dist.barrier()
gathered = [None] * world
dist.all_gather_object(gathered, {"rank": rank})
assert gathered == [{"rank": r} for r in range(world)]
try:
    dist.broadcast(mg.zeros(2), src=world)
except ValueError as error:
    assert "src" in str(error)
# main_process_first: rank 0 runs the block (e.g. a download) before any other rank enters it.
marker = os.path.join(sys.argv[1], "downloaded")
with main_process_first():
    if rank == 0:
        time.sleep(0.5)
        open(marker, "w").close()
    else:
        assert os.path.exists(marker), "a rank entered before rank 0 had finished"
dist.destroy_process_group()
print("ok", rank, flush=True)
