"""Both cores for the passes that are not GEMMs: large elementwise and copy passes split into
chunks over a small thread pool.

NumPy releases the GIL inside its ufunc loops and copies, so a ReLU, a pooling maximum, a
mask product, im2col's copy or col2im's adds over a few MB run on several cores when the
array is cut into pieces that threads handle at once. Three rules keep this safe:

- **Deterministic.** Only independent pieces are split: every element is computed by the same
  NumPy call on the same inputs whatever the number of threads, so the bits never change
  (no reduction is ever split; a chunked reduction would add in a different order).
- **Never beside BLAS.** The pool runs inside one pass and the caller waits for it: GEMMs
  run between passes, never at the same time, so the two never oversubscribe the cores.
- **Only where it pays.** Arrays under ``MIN_ELEMENTS`` run as one call (a thread hand-over
  costs tens of microseconds), and with one thread nothing changes at all.

The number of threads is PyTorch's ``set_num_threads`` / ``get_num_threads``; by default
the environment's ``MINIGRAD_NUM_THREADS``, else min(2, cores, OPENBLAS_NUM_THREADS /
OMP_NUM_THREADS when set): whoever limits BLAS to one core per process (one process per
core under mpiexec) gets one here too.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

MIN_ELEMENTS = 1 << 17  # smaller passes: one call (measured in docs/speed.md)
_THREAD_PREFIX = "minigrad-pool"


def _default_threads() -> int:
    for name in ("MINIGRAD_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "")
        if value.strip().isdigit() and int(value) >= 1:
            found = int(value)
            return found if name == "MINIGRAD_NUM_THREADS" else min(2, found, os.cpu_count() or 1)
    return min(2, os.cpu_count() or 1)


class _Pool:
    threads = _default_threads()
    executor = None  # made on first use, with threads - 1 workers (the caller is one)


_POOL = _Pool()


def set_num_threads(threads: int) -> None:
    """Use ``threads`` threads (the caller included) for the large elementwise passes."""
    # PyTorch's checks and messages (a RuntimeError), with the value given.
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(threads).__name__} "
                           f"({threads!r})")
    if threads < 1:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {threads}")
    _POOL.threads = int(threads)  # a pool too small for it is replaced on first use


def get_num_threads() -> int:
    """The number of threads the large elementwise passes use."""
    return _POOL.threads


def _executor(threads):
    """The pool, with at least ``threads - 1`` workers (the caller is the last thread)."""
    if _POOL.executor is None or _POOL.executor._max_workers < threads - 1:
        if _POOL.executor is not None:
            _POOL.executor.shutdown(wait=True)
        _POOL.executor = ThreadPoolExecutor(threads - 1, thread_name_prefix=_THREAD_PREFIX)
    return _POOL.executor


def _forget_after_fork():
    # A forked child has none of the parent's threads: a new pool is made on first use.
    _POOL.executor = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _inside_pool() -> bool:
    """True on one of the pool's threads: a piece that runs a pass itself runs it whole
    (waiting there for the pool's own threads could wait forever)."""
    return threading.current_thread().name.startswith(_THREAD_PREFIX)


def _split_axis(shape, strides, axes):
    """The axis to cut along: the outermost in memory (largest stride) with at least four
    entries per thread, so that each piece is one long run of memory; else the longest."""
    wanted = 4 * _POOL.threads
    by_memory = sorted(axes, key=lambda axis: -abs(strides[axis]))
    for axis in by_memory:
        if shape[axis] >= wanted:
            return axis
    return max(axes, key=lambda axis: shape[axis])


def run(function, out, *operands, axes=None):
    """``function(*operands, out=out)``, in pieces along one axis of ``out`` on the pool.

    ``operands`` are arrays with ``out``'s number of dimensions (fewer are broadcast from
    the right, as in NumPy) or scalars; each is cut along the same axis, except where its
    length there is 1 (broadcast: given whole to every piece). ``function`` must be
    elementwise along the cut axis, chosen among ``axes`` (default: any)."""
    threads = _POOL.threads
    if threads == 1 or out.size < MIN_ELEMENTS or out.ndim == 0 or _inside_pool():
        function(*operands, out=out)
        return out
    operands = [o.reshape((1,) * (out.ndim - o.ndim) + o.shape)
                if isinstance(o, np.ndarray) and o.ndim < out.ndim else o for o in operands]
    axis = _split_axis(out.shape, out.strides, range(out.ndim) if axes is None else axes)
    length = out.shape[axis]
    if length < threads:
        function(*operands, out=out)
        return out
    bounds = [length * k // threads for k in range(threads + 1)]
    lead = (slice(None),) * axis
    # NumPy's error handling is per thread: the caller's (np.errstate) holds in every piece.
    errors = np.geterr()

    def piece(k):
        cut = lead + (slice(bounds[k], bounds[k + 1]),)
        parts = [o[cut] if isinstance(o, np.ndarray) and o.shape[axis] == length else o
                 for o in operands]
        with np.errstate(**errors):
            function(*parts, out=out[cut])
    futures = [_executor(threads).submit(piece, k) for k in range(1, threads)]
    piece(0)
    for future in futures:
        future.result()  # re-raises a piece's exception here
    return out


def apply(ufunc, *operands):
    """``ufunc(*operands)`` as a new array, computed by ``run`` when large: the same values
    and dtype as NumPy's, in the memory layout of a full-shaped array operand."""
    if _POOL.threads == 1:
        return ufunc(*operands)
    # On the hot path of every small op: a plain loop, no generator (an operand of the
    # pass's full size is what makes it large; a result only broadcast large runs whole).
    for operand in operands:
        if type(operand) is np.ndarray and operand.size >= MIN_ELEMENTS:
            break
    else:
        return ufunc(*operands)
    shape = np.broadcast_shapes(*(np.shape(o) for o in operands))
    # The result dtype, by NumPy's own rules: the ufunc on one element of each operand.
    sample = [o[(slice(0, 1),) * o.ndim] if isinstance(o, np.ndarray) else o for o in operands]
    dtype = ufunc(*sample).dtype
    like = next((o for o in operands if isinstance(o, np.ndarray) and o.shape == shape), None)
    out = np.empty(shape, dtype) if like is None else np.empty_like(like, dtype=dtype)
    return run(ufunc, out, *operands)


def copy(source):
    """A C-contiguous copy of ``source`` (``np.ascontiguousarray`` on the pool)."""
    if source.flags.c_contiguous:
        return source
    return run(_copy_into, np.empty(source.shape, source.dtype), source)


def _copy_into(source, out):
    np.copyto(out, source)
