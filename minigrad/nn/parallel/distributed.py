"""``DistributedDataParallel``: the same model on every rank, each rank on its own slice of
every batch, gradients averaged so that all ranks take the same step.

    g = (1 / R) * sum over ranks r of g_r

With a mean loss and equal per-rank batches, g is exactly the gradient of the mean loss over
the global batch (R times the per-rank batch), so R ranks follow the same trajectory as one
process on the global batches (up to the order of floating-point sums).

Gradients travel in buckets, as in PyTorch: the parameters are grouped, in reverse order of
``parameters()`` (roughly the order in which backward produces their gradients), into flat
buffers of at most ``bucket_cap_mb``. A hook on each parameter copies its gradient into its
bucket as soon as the engine has it; a full bucket starts a non-blocking allreduce at once,
so the first buckets travel while backward is still computing the others. When the last
gradient arrives, the hook waits for every bucket and writes the averages into ``.grad``.
"""
from __future__ import annotations

import contextlib
import time

import numpy as np

from ... import distributed as dist
from ...tensor import Tensor
from ..module import Module


class _Bucket:
    """Some parameters of one dtype, their gradients packed into one flat array."""

    def __init__(self, params):
        self.params = params
        sizes = [p.array.size for p in params]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.flat = np.zeros(self.offsets[-1], dtype=params[0].array.dtype)
        self.ready, self.work = 0, None

    def slot(self, index):
        return self.flat[self.offsets[index]:self.offsets[index + 1]]


class DistributedDataParallel(Module):
    """Wraps ``module`` for data-parallel training over the default process group.

    At construction rank 0's parameters and buffers are broadcast to every rank. After each
    ``backward`` every parameter's ``.grad`` holds the average over ranks. With
    ``broadcast_buffers`` (PyTorch's default) rank 0's buffers (e.g. BatchNorm's running
    statistics) are broadcast before each training forward; the normalisation itself uses
    each rank's own batch statistics, as PyTorch's BatchNorm does (no SyncBatchNorm).
    Every parameter that requires grad must receive a gradient in each backward.

    ``last_wait_seconds`` is the time the final hook of the last backward spent waiting for
    the allreduces: the communication that backward did not hide."""

    def __init__(self, module: Module, broadcast_buffers: bool = True,
                 bucket_cap_mb: float = 25.0):
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DistributedDataParallel wraps a Module; got {type(module).__name__}")
        if not bucket_cap_mb > 0:
            raise ValueError(f"bucket_cap_mb must be positive; got {bucket_cap_mb!r}")
        self.world_size = dist.get_world_size()  # fails clearly without a process group
        self.module, self.broadcast_buffers = module, broadcast_buffers
        for tensor in list(module.parameters()) + list(module.buffers()):
            dist.broadcast(tensor, src=0)
        trainable = [p for p in module.parameters() if p.requires_grad]
        if not trainable:
            raise ValueError("DistributedDataParallel: the module has no parameter that "
                             "requires grad")
        self._buckets = _make_buckets(trainable[::-1], int(bucket_cap_mb * 2 ** 20))
        self._expected, self._received, self._sync = len(trainable), 0, True
        self.last_wait_seconds = 0.0
        for bucket in self._buckets:
            for index, param in enumerate(bucket.params):
                param.register_hook(self._make_hook(bucket, index))

    def forward(self, *args, **kwargs):
        if self._received:
            raise RuntimeError(
                "Expected to have finished reduction in the prior iteration before starting a "
                f"new one: only {self._received} of {self._expected} parameters received a "
                "gradient. Every parameter that requires grad must be used in producing the loss.")
        if self.broadcast_buffers and self.training:
            for buffer in self.module.buffers():
                dist.broadcast(buffer, src=0)
        return self.module(*args, **kwargs)

    @contextlib.contextmanager
    def no_sync(self):
        """Accumulate gradients locally in the backwards run inside this block; the first
        backward after it averages the accumulated sums."""
        previous, self._sync = self._sync, False
        try:
            yield
        finally:
            self._sync = previous

    def _make_hook(self, bucket, index):
        param = bucket.params[index]

        def hook(grad):
            if not self._sync:
                return None
            # .grad will become old .grad + grad: that sum is what the ranks average.
            local = grad.array if param.grad is None else param.grad.array + grad.array
            bucket.slot(index)[...] = local.reshape(-1)
            bucket.ready += 1
            self._received += 1
            if bucket.ready == len(bucket.params):
                bucket.work = dist.all_reduce(Tensor._make(bucket.flat, False, None),
                                              async_op=True)
            for other in self._buckets:  # MPI moves non-blocking data only while called
                if other.work is not None:
                    other.work.is_completed()
            if self._received == self._expected:
                return self._finish(param)
            return None

        return hook

    def _finish(self, last_param):
        """Wait for every bucket and write the averaged gradients. The engine accumulates
        ``last_param``'s gradient after this hook returns, so it gets its average as the
        hook's result (and its .grad is cleared first so nothing is added twice)."""
        start = time.perf_counter()
        for bucket in self._buckets:
            bucket.work.wait()
        self.last_wait_seconds = time.perf_counter() - start
        result = None
        for bucket in self._buckets:
            bucket.flat /= self.world_size
            for index, param in enumerate(bucket.params):
                average = bucket.slot(index).reshape(param.array.shape)
                if param is last_param:
                    param.grad, result = None, Tensor._make(average.copy(), False, None)
                else:
                    param.grad.array[...] = average
            bucket.ready, bucket.work = 0, None
        self._received = 0
        return result


FIRST_BUCKET_BYTES = 2 ** 20  # PyTorch's first bucket: 1 MB, so that it fills (and travels) early


def _make_buckets(params, cap_bytes):
    """Consecutive parameters (in the order backward produces their gradients) grouped into
    buckets of at most ``cap_bytes`` (one dtype each), the first of at most 1 MB as in
    PyTorch: in a large model the last layers' gradients then travel while backward still
    computes the first layers'. (A model under 1 MB, like the MNIST nets, stays one bucket
    unless ``bucket_cap_mb`` is smaller.)"""
    buckets, current, size = [], [], 0
    for param in params:
        nbytes = param.array.nbytes
        cap = min(cap_bytes, FIRST_BUCKET_BYTES) if not buckets else cap_bytes
        if current and (size + nbytes > cap or param.array.dtype != current[0].array.dtype):
            buckets.append(_Bucket(current))
            current, size = [], 0
        current.append(param)
        size += nbytes
    buckets.append(_Bucket(current))
    return buckets
