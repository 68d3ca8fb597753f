"""``minigrad train`` under mpiexec, where rank 1 may fail at its ``FAIL_AT``-th optimizer
step: ``kill`` (SIGKILL), ``raise`` (an error the CLI reports), ``crash`` (an uncaught
error) or ``hang`` (never returns); ``none`` trains normally. Usage:
    train_cli.py MODE TIMEOUT_SECONDS -- minigrad train arguments..."""
import os
import signal
import sys
import time

import minigrad.distributed as dist
from minigrad import cli, optim

mode, timeout = sys.argv[1], float(sys.argv[2])
arguments = sys.argv[sys.argv.index("--") + 1:]
dist.init_process_group("mpi", timeout=timeout)  # the CLI then finds the group initialized
fail_at = int(os.environ.get("FAIL_AT", "0"))
original_step, steps = optim.Adam.step, [0]


def step(self, *args, **kwargs):
    steps[0] += 1
    if dist.get_rank() == 1 and steps[0] == fail_at:
        if mode == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "raise":
            raise ValueError("rank 1 found a bad value")
        if mode == "crash":
            raise ZeroDivisionError("rank 1 crashed")
        if mode == "hang":
            time.sleep(3600)
    return original_step(self, *args, **kwargs)


optim.Adam.step = step
sys.exit(cli.main(arguments))
