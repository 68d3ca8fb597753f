"""The thread pool for large elementwise passes: the same bits for any number of threads,
NumPy's dtypes and values, the default sized with BLAS's threads, errors named."""
import os
import signal

import numpy as np
import pytest

import minigrad as mg
from minigrad import parallel_kernels
from minigrad.nn import functional as F
from conftest import leaf

rng = np.random.default_rng(7)


@pytest.fixture
def small_passes_split(monkeypatch):
    """Every pass is split, even small ones, so that the tests stay fast."""
    monkeypatch.setattr(parallel_kernels, "MIN_ELEMENTS", 16)
    yield
    parallel_kernels.set_num_threads(1)


def _batch_last(shape):
    """An (N, C, H, W) array lying in (C, H, W, N) memory, as the convolutions hand it on."""
    n, c, h, w = shape
    return rng.standard_normal((c, h, w, n)).astype(np.float32).transpose(3, 0, 1, 2)


def _conv_step(x, w, b):
    """Forward and both gradients of a padded convolution + ReLU + 2x2 max pooling."""
    x, w, b = leaf(x), leaf(w), leaf(b)
    out = F.max_pool2d(F.relu(F.conv2d(x, w, b, padding=1)), 2)
    (out * out).sum().backward()
    return [out.array, x.grad.array, w.grad.array, b.grad.array]


# name: (a function of the inputs giving arrays, the inputs); each is run at 1, 2 and 3 threads.
PASSES = {
    "add broadcast": (lambda a, b: [(mg.tensor(a) + mg.tensor(b)).array],
                      (rng.standard_normal((6, 5, 4)).astype(np.float32),
                       rng.standard_normal((5, 1)).astype(np.float32))),
    "mul batch-last": (lambda a, b: [(mg.tensor(a) * mg.tensor(b)).array],
                       (_batch_last((8, 6, 4, 4)), _batch_last((8, 6, 4, 4)))),
    "sub, div": (lambda a, b: [(mg.tensor(a) - mg.tensor(b)).array,
                               (mg.tensor(a) / mg.tensor(b)).array],
                 (rng.standard_normal((33, 7)), rng.standard_normal(7) + 3)),
    "relu and its gradient": (lambda a: [F.relu(leaf(a)).array, _relu_grad(a)],
                              (_batch_last((8, 5, 6, 6)),)),
    "exact gelu (erf by blocks)": (lambda a: [F.gelu(mg.tensor(a)).array],
                                   (rng.standard_normal(40000).astype(np.float32) * 3,)),
    "conv, relu, pool (batch-first)": (_conv_step, (
        rng.standard_normal((6, 3, 8, 8)), rng.standard_normal((5, 3, 3, 3)),
        rng.standard_normal(5))),
    "conv, relu, pool (float32, one channel)": (_conv_step, (
        rng.standard_normal((9, 1, 10, 10)).astype(np.float32),
        rng.standard_normal((4, 1, 3, 3)).astype(np.float32),
        rng.standard_normal(4).astype(np.float32))),
}


def _relu_grad(a):
    x = leaf(a)
    (F.relu(x) * 2.0).sum().backward()
    return x.grad.array


@pytest.mark.parametrize("name", list(PASSES))
def test_every_split_pass_gives_the_same_bits_for_any_number_of_threads(small_passes_split,
                                                                        name):
    function, inputs = PASSES[name]
    results = {}
    for threads in (1, 2, 3):
        parallel_kernels.set_num_threads(threads)
        results[threads] = function(*inputs)
    for threads in (2, 3):
        for one, many in zip(results[1], results[threads]):
            assert one.dtype == many.dtype and one.shape == many.shape
            assert one.tobytes() == many.tobytes(), f"{name}: {threads} threads differ"


@pytest.mark.parametrize("ufunc, operands", [
    (np.multiply, (np.ones((40, 3), np.float32), 2.5)),  # a Python float keeps float32
    (np.add, (np.arange(120).reshape(40, 3), np.float64(0.5))),
    (np.greater, (rng.standard_normal((40, 3)).astype(np.float32), 0)),
    (np.maximum, (rng.standard_normal((3, 40)).astype(np.float32).T, 0)),  # a transposed layout
    (np.divide, (np.ones((1, 40)), np.full((40, 1), 3.0))),  # both operands broadcast
])
def test_apply_matches_numpy_in_values_dtype_and_shape(small_passes_split, ufunc, operands):
    parallel_kernels.set_num_threads(2)
    got, expected = parallel_kernels.apply(ufunc, *operands), ufunc(*operands)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got, expected)


def test_an_error_inside_a_piece_reaches_the_caller(small_passes_split):
    parallel_kernels.set_num_threads(2)

    def failing(a, out):
        raise FloatingPointError(f"piece of {len(a)} rows")
    with pytest.raises(FloatingPointError, match="piece of"):
        parallel_kernels.run(failing, np.empty((64, 4)), np.ones((64, 4)))


@pytest.mark.parametrize("bad, message", [
    (0, "a positive integer, got 0"), (-2, "a positive integer, got -2"),
    (1.5, r"an int, but got float \(1.5\)"), (True, r"an int, but got bool \(True\)"),
    ("2", r"an int, but got str \('2'\)"), (None, r"an int, but got NoneType \(None\)")])
def test_set_num_threads_refuses_what_is_not_a_positive_integer_as_pytorch(bad, message):
    before = parallel_kernels.get_num_threads()
    with pytest.raises(RuntimeError, match=f"set_num_threads expects {message}"):
        mg.set_num_threads(bad)
    assert parallel_kernels.get_num_threads() == before  # nothing changed


@pytest.mark.parametrize("environment, expected", [
    ({"MINIGRAD_NUM_THREADS": "3", "OPENBLAS_NUM_THREADS": "1"}, 3),  # asked for by name
    ({"OPENBLAS_NUM_THREADS": "1"}, 1),  # BLAS limited to one core per process: so are we
    ({"OMP_NUM_THREADS": "8"}, min(2, os.cpu_count() or 1)),
    ({"MINIGRAD_NUM_THREADS": "zero"}, min(2, os.cpu_count() or 1)),  # ignored, not a number
    ({}, min(2, os.cpu_count() or 1)),
])
def test_the_default_is_sized_together_with_blas(monkeypatch, environment, expected):
    for name in ("MINIGRAD_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert parallel_kernels._default_threads() == expected


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_child_makes_its_own_pool(small_passes_split):
    parallel_kernels.set_num_threads(2)
    a = rng.standard_normal((64, 8))
    parallel_kernels.apply(np.negative, a)  # the parent's pool exists now
    pid = os.fork()
    if pid == 0:  # the child: its copy of the pool has no threads; a new one must be made
        signal.alarm(60)  # a child waiting on the parent's dead threads ends, and fails
        ok = False
        try:
            ok = np.array_equal(parallel_kernels.apply(np.negative, a), -a)
        finally:  # never return into the child's copy of pytest
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0  # a crash or a signal fails too


@pytest.mark.parametrize("setting, expect_raise", [("raise", True), ("ignore", False)])
def test_the_callers_numpy_error_handling_holds_in_every_piece(small_passes_split, setting,
                                                               expect_raise):
    parallel_kernels.set_num_threads(2)
    a, b = np.ones((64, 4)), np.ones((64, 4))
    b[-1, -1] = 0.0  # the division by zero falls in the last piece, on a pool thread
    with np.errstate(divide=setting):
        if expect_raise:
            with pytest.raises(FloatingPointError, match="divide by zero"):
                parallel_kernels.apply(np.divide, a, b)
        else:
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # no RuntimeWarning from the pool thread
                assert np.isinf(parallel_kernels.apply(np.divide, a, b)[-1, -1])


def test_a_piece_that_runs_a_pass_itself_runs_it_whole_instead_of_waiting_forever(
        small_passes_split):
    parallel_kernels.set_num_threads(2)

    def nested(a, out):  # every piece splits again: on the pool's one thread this must not wait
        parallel_kernels.run(np.negative, out, a)
    a = rng.standard_normal((64, 8))
    assert np.array_equal(parallel_kernels.run(nested, np.empty_like(a), a), -a)
