"""Asynchronous SGD with a parameter server: workers update the parameters as they return,
instead of waiting for each other.

Rank 0 holds the authoritative parameters and the optimizer; ranks 1..K-1 are workers, each
with its own shard of the data. A worker repeatedly computes the gradient of its next batch
at the parameters it holds, pushes it to the server, and gets back the parameters after the
server's update. The server applies each gradient the moment it arrives:

    w_{t+1} = optimizer_step(w_t, g(w_{t - s}))

where the staleness s is the number of updates (from other workers) that the server made
between the worker's pull of w and the arrival of its gradient. With one worker s = 0 and
this is plain SGD; with K-1 workers taking turns, s is about K-2. Nobody waits for the
slowest worker, at the price of gradients computed at slightly old parameters.

Messages, each an ordered pair (MPI never reorders two sends between the same two ranks):
a header [kind, version, samples] (int64), then for a gradient or the parameters a flat
array holding every parameter back to back.
"""
from __future__ import annotations

import time

import numpy as np

from ..autograd import no_grad
from ..tensor import Tensor
from .collectives import Work, broadcast
from .process_group import _mpi, abort, communicator, timeout_seconds

GRADIENT, DONE = 0, 1
HEADER_TAG, PAYLOAD_TAG = 11, 12


class AsyncParameterServer:
    """Runs asynchronous SGD over the default group (at least 2 ranks): call ``fit`` on
    every rank. ``model`` must be built identically everywhere (rank 0's weights are
    broadcast); ``optimizer`` is used on rank 0 only; ``loader`` is each worker's shard
    (see ``minigrad.utils.data.worker_loader``). ``on_epoch(epoch, server)`` runs on rank 0
    each time the workers together have pushed one data set's worth of samples (e.g. to evaluate)."""

    def __init__(self, model, optimizer, loss_fn):
        self.comm = communicator()
        if self.comm.Get_size() < 2:
            raise ValueError("AsyncParameterServer needs at least 2 ranks (a server and a "
                             f"worker); got world size {self.comm.Get_size()}")
        self.model, self.optimizer, self.loss_fn = model, optimizer, loss_fn
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.offsets = np.concatenate([[0], np.cumsum([p.array.size for p in self.params])])
        self.dtype = np.result_type(*[p.array.dtype for p in self.params])
        self.version = 0  # updates applied by the server (on a worker: of the held weights)
        self.staleness: list[int] = []  # rank 0: one entry per applied gradient
        self.samples, self.seconds = 0, 0.0

    @property
    def is_server(self) -> bool:
        return self.comm.Get_rank() == 0

    def fit(self, loader=None, epochs: int = 1, dataset_size: int | None = None, on_epoch=None):
        """Train for ``epochs`` passes of every worker over its shard. On rank 0 ``loader``
        may be None, and ``dataset_size`` (needed for ``on_epoch``) is the full data set's."""
        flat = Tensor._make(self._pack([p.array for p in self.params]), False, None)
        broadcast(flat, src=0)
        self._unpack(flat.array, [p.array for p in self.params])
        start = time.perf_counter()
        if self.is_server:
            self._serve(epochs, dataset_size, on_epoch)
        else:
            self._work(loader, epochs)
        self.seconds = time.perf_counter() - start
        return self

    # ------------------------------------------------------------------ server (rank 0)
    def _serve(self, epochs, dataset_size, on_epoch):
        MPI = _mpi()
        active, epoch_done = self.comm.Get_size() - 1, 0
        header = np.zeros(3, dtype=np.int64)
        gradient = np.empty(self.offsets[-1], dtype=self.dtype)
        status = MPI.Status()
        while active:
            self._wait_for_message(status)
            worker = status.Get_source()
            self.comm.Recv(header, source=worker, tag=HEADER_TAG)
            kind, version, samples = (int(v) for v in header)
            if kind == DONE:
                active -= 1
                continue
            self.comm.Recv(gradient, source=worker, tag=PAYLOAD_TAG)
            self.staleness.append(self.version - version)
            for param, grad in zip(self.params, self._views(gradient)):
                param.grad = Tensor._make(grad.reshape(param.array.shape).copy(), False, None)
            self.optimizer.step()
            self.version += 1
            self.samples += samples
            self._send_parameters(worker)
            while on_epoch and dataset_size and self.samples >= (epoch_done + 1) * dataset_size:
                epoch_done += 1
                on_epoch(epoch_done, self)

    def _wait_for_message(self, status):
        # Probe with short sleeps: a blocking receive would spin on a core the workers need.
        deadline, pause = time.monotonic() + timeout_seconds(), 1e-5
        while not self.comm.Iprobe(source=_mpi().ANY_SOURCE, tag=HEADER_TAG, status=status):
            if time.monotonic() > deadline:
                abort(f"the parameter server heard from no worker for {timeout_seconds():g} s")
                raise RuntimeError("no worker message before the timeout")
            time.sleep(pause)
            pause = min(2 * pause, 5e-4)

    def _send_parameters(self, worker):
        self.comm.Send(np.array([GRADIENT, self.version, 0], dtype=np.int64), dest=worker,
                       tag=HEADER_TAG)
        self.comm.Send(self._pack([p.array for p in self.params]), dest=worker, tag=PAYLOAD_TAG)

    # ------------------------------------------------------------------ workers (ranks >= 1)
    def _work(self, loader, epochs):
        if loader is None:
            raise ValueError("every worker needs a loader (its shard of the data)")
        header = np.zeros(3, dtype=np.int64)
        weights = np.empty(self.offsets[-1], dtype=self.dtype)
        self.model.train()
        for epoch in range(epochs):
            if hasattr(getattr(loader, "sampler", None), "set_epoch"):
                loader.sampler.set_epoch(epoch)
            for inputs, targets in loader:
                for p in self.params:
                    p.grad = None
                self.loss_fn(self.model(inputs), targets).backward()
                grads = [p.grad.array if p.grad is not None else np.zeros_like(p.array)
                         for p in self.params]
                self.comm.Send(np.array([GRADIENT, self.version, len(targets)], dtype=np.int64),
                               dest=0, tag=HEADER_TAG)
                self.comm.Send(self._pack(grads), dest=0, tag=PAYLOAD_TAG)
                Work(self.comm.Irecv(header, source=0, tag=HEADER_TAG), "the server's reply").wait()
                Work(self.comm.Irecv(weights, source=0, tag=PAYLOAD_TAG), "the parameters").wait()
                with no_grad():
                    self._unpack(weights, [p.array for p in self.params])
                self.version = int(header[1])
                self.samples += len(targets)
        self.comm.Send(np.array([DONE, self.version, 0], dtype=np.int64), dest=0, tag=HEADER_TAG)

    # ------------------------------------------------------------------ packing
    def _views(self, flat):
        return [flat[a:b] for a, b in zip(self.offsets[:-1], self.offsets[1:])]

    def _pack(self, arrays):
        return np.concatenate([np.asarray(a, dtype=self.dtype).reshape(-1) for a in arrays])

    def _unpack(self, flat, arrays):
        for array, view in zip(arrays, self._views(flat)):
            array[...] = view.reshape(array.shape)

    def staleness_summary(self) -> dict:
        """Rank 0: mean, max and the distribution of the applied gradients' staleness."""
        values = np.array(self.staleness, dtype=np.int64)
        if values.size == 0:
            return {"updates": 0, "mean": 0.0, "max": 0, "histogram": {}}
        counts = np.bincount(values)
        return {"updates": int(values.size), "mean": float(values.mean()), "max": int(values.max()),
                "histogram": {int(s): int(c) for s, c in enumerate(counts) if c}}

