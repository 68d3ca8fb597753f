"""minigrad.distributed: collectives under mpiexec, and clear errors without it."""
import os
import subprocess
import sys

import pytest

import minigrad as mg
import minigrad.distributed as dist
from mpi_launch import run_mpi, script


def test_collectives_on_two_ranks_for_each_op_and_dtype(tmp_path):
    result = run_mpi(2, [script("collectives.py"), tmp_path], timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split("\n")[:2]) == ["ok 0", "ok 1"]


def test_without_a_process_group_the_api_says_what_to_do():
    assert not dist.is_initialized()
    for call in (dist.get_rank, dist.get_world_size, dist.barrier,
                 lambda: dist.all_reduce(mg.ones(2))):
        with pytest.raises(RuntimeError, match="init_process_group"):
            call()
    with pytest.raises(ValueError, match="nccl"):
        dist.init_process_group("nccl")
    with pytest.raises(ValueError, match="timeout"):
        dist.init_process_group("mpi", timeout=-1)


def test_importing_minigrad_does_not_import_mpi4py():
    code = ("import sys, minigrad, minigrad.distributed, minigrad.nn.parallel; "
            "print('mpi4py' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert output.stdout.strip() == "False"


def test_cli_under_mpiexec_without_mpi4py_fails_in_one_line(tmp_path):
    code = ("import sys; sys.modules['mpi4py'] = None; from minigrad.cli import main; "
            "sys.exit(main(['train', '--epochs', '1', '--quiet', '--out', sys.argv[1]]))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                            text=True, env={**os.environ, "OMPI_COMM_WORLD_SIZE": "2"})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "pip install 'minigrad[mpi]'" in result.stderr


def test_missing_mpi4py_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)  # makes "from mpi4py import MPI" fail
    assert not dist.is_available()
    with pytest.raises(RuntimeError, match=r"minigrad\[mpi\]"):
        dist.init_process_group("mpi")
