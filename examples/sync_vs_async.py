"""Synchronous against asynchronous data-parallel SGD on MNIST, on the same K processes.

    mpiexec -n 3 python examples/sync_vs_async.py            # 3 epochs on all 60,000 images
    mpiexec -n 3 python examples/sync_vs_async.py --quick    # 6,000 images, 2 epochs
    (as root, Open MPI also wants --allow-run-as-root; --oversubscribe for K > cores)

Synchronous: every rank computes on its shard, the gradients are averaged
(DistributedDataParallel), everyone takes the same step: one update per global batch of
K x 64 images. Asynchronous: rank 0 is a parameter server, the K-1 other ranks are workers
that push gradients of 64 images and pull fresh weights, never waiting for each other: one
update per 64 images, each computed at parameters that are `staleness` updates old.
Printed: test accuracy after each epoch, training samples per second, and the staleness.
"""
import sys
import time

import minigrad as mg
import minigrad.distributed as dist
from minigrad import data, models, nn, optim
from minigrad.data import transforms as T
from minigrad.distributed.training import main_process_first
from minigrad.nn.parallel import DistributedDataParallel
from minigrad.recipes.trainer import evaluate
from minigrad.utils.data import worker_loader

quick = "--quick" in sys.argv
epochs, batch, lr = (2, 64, 0.1) if quick else (3, 64, 0.1)
dist.init_process_group("mpi")
rank, world = dist.get_rank(), dist.get_world_size()
if world < 2:
    sys.exit("run me with mpiexec -n K (K >= 2): mpiexec -n 3 python examples/sync_vs_async.py")

transform = T.Compose([T.ToTensor(), T.Normalize(0.1307, 0.3081)])
with main_process_first():  # rank 0 downloads (if needed), the others then read the files
    train_set = data.MNIST(train=True, transform=transform)
    test_set = data.MNIST(train=False, transform=transform)
if quick:
    train_set, test_set = data.Subset(train_set, range(6000)), data.Subset(test_set, range(1000))
test_loader = data.DataLoader(test_set, batch_size=1000)


def fresh_model():
    mg.manual_seed(0)  # the same initial weights for both modes
    return models.mlp()


rows = []

# --- synchronous: all K ranks compute, gradients averaged every step
model = DistributedDataParallel(fresh_model())
optimizer = optim.SGD(model.parameters(), lr=lr)
sampler = data.DistributedSampler(train_set, seed=0)
loader = data.DataLoader(train_set, batch_size=batch, sampler=sampler)
for epoch in range(1, epochs + 1):
    sampler.set_epoch(epoch)
    model.train()
    dist.barrier()
    start = time.perf_counter()
    for images, labels in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(images), labels).backward()
        optimizer.step()
    dist.barrier()
    seconds = time.perf_counter() - start
    if rank == 0:
        _, accuracy = evaluate(model, test_loader)
        rows.append(("sync", epoch, accuracy, world * len(sampler) / seconds, "-"))

# --- asynchronous: rank 0 serves, ranks 1..K-1 work
model = fresh_model()
server = dist.AsyncParameterServer(model, optim.SGD(model.parameters(), lr=lr),
                                   nn.functional.cross_entropy)
clock = {"start": 0.0, "samples": 0}


def on_epoch(epoch, server):
    seconds = time.perf_counter() - clock["start"]
    samples = server.samples - clock["samples"]
    _, accuracy = evaluate(server.model, test_loader)
    summary = server.staleness_summary()
    rows.append(("async", epoch, accuracy, samples / seconds,
                 f"mean {summary['mean']:.2f}, max {summary['max']}"))
    clock.update(start=time.perf_counter(), samples=server.samples)  # evaluation not timed


dist.barrier()
clock["start"] = time.perf_counter()
server.fit(worker_loader(train_set, batch, seed=0), epochs, dataset_size=len(train_set),
           on_epoch=on_epoch)

if rank == 0:
    print(f"{world} processes: sync = {world} workers averaging each step (global batch "
          f"{world * batch}); async = 1 server + {world - 1} workers (batch {batch} each)")
    print(f"{'mode':6s} {'epoch':>5s} {'test acc':>9s} {'samples/s':>10s}  staleness so far")
    for mode, epoch, accuracy, speed, staleness in rows:
        print(f"{mode:6s} {epoch:5d} {100 * accuracy:8.2f}% {speed:10.0f}  {staleness}")
    histogram = server.staleness_summary()["histogram"]
    print("async staleness histogram (updates by staleness): "
          + ", ".join(f"{s}: {c}" for s, c in histogram.items()))
dist.destroy_process_group()
