"""Two ranks with DistributedDataParallel, each on half of every global batch, against one
process (rank 0, without DDP) on the whole global batches: float64, SGD and Adam, with
and without DistributedSampler, with many small buckets and with one bucket. Prints the
largest parameter difference per case on rank 0."""
import contextlib

import numpy as np

import minigrad as mg
import minigrad.distributed as dist
from minigrad import nn, optim
from minigrad.data import DataLoader, DistributedSampler, TensorDataset
from minigrad.nn.parallel import DistributedDataParallel

dist.init_process_group("mpi", timeout=60)
rank, world = dist.get_rank(), dist.get_world_size()
rng = np.random.default_rng(0)
features, labels = rng.standard_normal((48, 6)), rng.integers(0, 3, 48)
dataset = TensorDataset(features, labels)
GLOBAL_BATCH, EPOCHS = 8, 2
local_batch = GLOBAL_BATCH // world


def model(seed):
    mg.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 3)).double()


def step(net, optimizer, x, y):
    optimizer.zero_grad()
    nn.functional.cross_entropy(net(mg.Tensor(x)), mg.tensor(y)).backward()
    optimizer.step()


def global_batches(epoch, sampler_seed):
    """The global batches of one epoch, and this rank's part of each."""
    if sampler_seed is None:  # contiguous: rank r takes the r-th slice of each global batch
        for start in range(0, len(features), GLOBAL_BATCH):
            rows = np.arange(start, start + GLOBAL_BATCH)
            yield rows, rows[rank * local_batch:(rank + 1) * local_batch]
        return
    shards = []
    for r in range(world):
        sampler = DistributedSampler(dataset, num_replicas=world, rank=r, seed=sampler_seed)
        sampler.set_epoch(epoch)
        shards.append(np.array(list(sampler)))
    for start in range(0, len(shards[0]), local_batch):
        yield np.concatenate([s[start:start + local_batch] for s in shards]), None


for name, make_optimizer in [("sgd", lambda p: optim.SGD(p, lr=0.1, momentum=0.9)),
                             ("adam", lambda p: optim.Adam(p, lr=0.01))]:
    for sampler_seed in (None, 3):
        for bucket_cap_mb in (0.0005, 25.0):  # 0.0005 MB: every layer in its own bucket
            reference = model(1)
            ddp = DistributedDataParallel(model(1 + rank), bucket_cap_mb=bucket_cap_mb)
            reference_optimizer = make_optimizer(reference.parameters())
            ddp_optimizer = make_optimizer(ddp.parameters())
            if sampler_seed is not None:
                sampler = DistributedSampler(dataset, seed=sampler_seed)  # the group's rank
                loader = DataLoader(dataset, batch_size=local_batch, sampler=sampler)
            for epoch in range(EPOCHS):
                if sampler_seed is not None:
                    sampler.set_epoch(epoch)
                    local = iter(loader)
                for rows, mine in global_batches(epoch, sampler_seed):
                    step(reference, reference_optimizer, features[rows], labels[rows])
                    if sampler_seed is None:
                        step(ddp, ddp_optimizer, features[mine], labels[mine])
                    else:
                        x, y = next(local)
                        step(ddp, ddp_optimizer, x.array, y.array)
            ours = np.concatenate([p.array.ravel() for p in ddp.module.parameters()])
            theirs = np.concatenate([p.array.ravel() for p in reference.parameters()])
            spread = mg.Tensor(ours.copy())  # max over ranks minus min over ranks
            low = mg.Tensor(ours.copy())
            dist.all_reduce(spread, op=dist.ReduceOp.MAX)
            dist.all_reduce(low, op=dist.ReduceOp.MIN)
            moved = np.abs(theirs - np.concatenate([p.array.ravel() for p in model(1).parameters()]))
            if rank == 0:
                print(f"{name} sampler={sampler_seed is not None} buckets={len(ddp._buckets)} "
                      f"diff={np.abs(ours - theirs).max():.3e} "
                      f"ranks={np.abs(spread.array - low.array).max():.3e} "
                      f"moved={moved.max():.3e}", flush=True)

# no_sync: two local backwards, then a synchronised one, average the accumulated sums.
reference, ddp = model(1), DistributedDataParallel(model(1 + rank))
batches = [np.arange(start, start + GLOBAL_BATCH) for start in (0, 8, 16)]
for rows in batches:
    logits = reference(mg.Tensor(features[rows]))
    nn.functional.cross_entropy(logits, mg.tensor(labels[rows])).backward()
for index, rows in enumerate(batches):
    mine = rows[rank * local_batch:(rank + 1) * local_batch]
    context = ddp.no_sync() if index < 2 else contextlib.nullcontext()
    with context:
        loss = nn.functional.cross_entropy(ddp(mg.Tensor(features[mine])), mg.tensor(labels[mine]))
        loss.backward()
gap = max(np.abs(a.grad.array - b.grad.array).max()
          for a, b in zip(ddp.module.parameters(), reference.parameters()))
assert gap < 1e-10, gap
if rank == 0:
    print(f"no_sync diff={gap:.3e}", flush=True)

# BatchNorm: rank 0's running statistics are broadcast before each training forward, then
# each rank normalises with, and updates them from, its own batch (PyTorch's default).
mg.manual_seed(5 + rank)
bn = nn.BatchNorm1d(6).double()
bn.running_mean.array[...] = rank + 1.0  # differ per rank before DDP broadcasts rank 0's
net = DistributedDataParallel(nn.Sequential(bn, nn.Linear(6, 2).double()))
mine = features[rank * 4:(rank + 1) * 4]
before = bn.running_mean.array.copy()
bn.running_mean.array[...] = 7.0 + rank  # drift on rank 1 only: the forward must undo it
out = net(mg.Tensor(mine))
expected = 0.9 * (before * 0 + 7.0) + 0.1 * mine.mean(axis=0)
assert np.allclose(before, 1.0), before
assert np.allclose(bn.running_mean.array, expected, atol=1e-12), (bn.running_mean.array, expected)
out.sum().backward()

# A parameter that received no gradient is reported at the next forward.
mg.manual_seed(0)
unused = nn.Sequential(nn.Linear(6, 2), nn.Linear(2, 2)).double()
net = DistributedDataParallel(unused)
unused[0](mg.Tensor(features[:2])).sum().backward()
try:
    net(mg.Tensor(features[:2]))
except RuntimeError as error:
    assert "finished reduction" in str(error) and "2 of 4" in str(error), error
else:
    raise AssertionError("an unused parameter must be reported")
if rank == 0:
    print("batchnorm ok", flush=True)
dist.destroy_process_group()
