"""Asynchronous SGD on a small softmax regression (float64). With 2 ranks (one worker) it
must equal plain SGD on the worker's batches exactly, with staleness 0; with 3 ranks (two
workers) it must converge, and rank 0 prints the staleness summary."""
import json

import numpy as np

import minigrad as mg
import minigrad.distributed as dist
from minigrad import nn, optim
from minigrad.data import DataLoader, DistributedSampler, TensorDataset
from minigrad.utils.data import worker_loader

dist.init_process_group("mpi", timeout=60)
rank, world = dist.get_rank(), dist.get_world_size()
rng = np.random.default_rng(0)
centres = rng.standard_normal((3, 5)) * 3
labels = rng.integers(0, 3, 600)
features = centres[labels] + rng.standard_normal((600, 5))
dataset = TensorDataset(features, labels)
EPOCHS, BATCH = 4, 20


def build():
    mg.manual_seed(1)
    return nn.Linear(5, 3).double()


def full_loss(model):
    with mg.no_grad():
        logits = model(mg.Tensor(features))
        loss = nn.functional.cross_entropy(logits, mg.tensor(labels)).item()
    return loss, float((logits.array.argmax(1) == labels).mean())


model = build()
server = dist.AsyncParameterServer(model, optim.SGD(model.parameters(), lr=0.2),
                                   nn.functional.cross_entropy)
losses = [full_loss(model)]
server.fit(worker_loader(dataset, BATCH, seed=7), EPOCHS, dataset_size=len(dataset),
           on_epoch=lambda epoch, s: losses.append(full_loss(s.model)))
if rank == 0:
    summary = server.staleness_summary()
    result = {"world": world, "losses": losses, "staleness": summary, "samples": server.samples}
    if world == 2:  # one worker: exactly plain SGD over the worker's batches
        reference = build()
        sgd = optim.SGD(reference.parameters(), lr=0.2)
        sampler = DistributedSampler(dataset, num_replicas=1, rank=0, seed=7)
        loader = DataLoader(dataset, BATCH, sampler=sampler)
        for epoch in range(EPOCHS):
            sampler.set_epoch(epoch)
            for x, y in loader:
                sgd.zero_grad()
                nn.functional.cross_entropy(reference(x), y).backward()
                sgd.step()
        result["diff"] = max(float(np.abs(a.array - b.array).max())
                             for a, b in zip(model.parameters(), reference.parameters()))
    print("RESULT " + json.dumps(result), flush=True)
