"""The recurrent rows of the benchmark: one training step of a character-level model,
embedding 65 -> 64, an LSTM (or GRU) of hidden size 128, a linear layer back to 65, cross-entropy
over every position, Adam 1e-3; batch 32, sequences of 16. minigrad and PyTorch eager start
from the same weights and see the same batches.

A row's "epoch" is ``STEPS`` training steps, so its s/epoch divided by ``STEPS`` is the time
of one step. ``python -m benchmarks.recurrent [--threads 1] [--rounds 7]`` times these rows
alone, interleaved, and prints milliseconds per step and the ratio to PyTorch.
"""
import os
import sys

if __name__ == "__main__":  # BLAS threads are fixed before NumPy loads, as the runner does
    _threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
    for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_variable] = _threads

import time  # noqa: E402

import numpy as np  # noqa: E402

import minigrad as mg  # noqa: E402
from minigrad import nn, optim  # noqa: E402

VOCAB, EMBED, HIDDEN, BATCH, LENGTH, STEPS = 65, 64, 128, 32, 16, 100


def token_batches(count=8, seed=0):
    """``count`` fixed (input, target) batches of random tokens, (BATCH, LENGTH) each."""
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, VOCAB, (count, BATCH, LENGTH + 1))
    return [(t[:, :-1], t[:, 1:]) for t in tokens]


class CharModel(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, EMBED)
        self.rnn = getattr(nn, cell)(EMBED, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, VOCAB)

    def forward(self, tokens):
        return self.head(self.rnn(self.embed(tokens))[0])


class MinigradRecurrent:
    def __init__(self, cell, fraction=1.0):
        mg.manual_seed(0)
        self.model = CharModel(cell)
        self.optimizer = optim.Adam(self.model.parameters(), lr=1e-3)
        self.batches = [(mg.tensor(x), mg.tensor(y)) for x, y in token_batches()]
        self.steps = max(1, round(STEPS * fraction))

    def epoch(self, max_batches=None):
        for step in range(self.steps if max_batches is None else max_batches):
            x, y = self.batches[step % len(self.batches)]
            logits = self.model(x)
            loss = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()


class TorchRecurrent:
    """The same model in PyTorch CPU eager mode, from minigrad's initial weights."""

    def __init__(self, cell, fraction=1.0):
        import torch
        self.torch = torch
        layers = torch.nn
        self.model = layers.ModuleDict({"embed": layers.Embedding(VOCAB, EMBED),
                                        "rnn": getattr(layers, cell)(EMBED, HIDDEN,
                                                                     batch_first=True),
                                        "head": layers.Linear(HIDDEN, VOCAB)})
        ours = MinigradRecurrent(cell).model.state_dict()
        with torch.no_grad():
            for name, parameter in self.model.named_parameters():
                parameter.copy_(torch.from_numpy(np.asarray(ours[name].array)))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.batches = [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in token_batches()]
        self.steps = max(1, round(STEPS * fraction))

    def epoch(self, max_batches=None):
        model = self.model
        for step in range(self.steps if max_batches is None else max_batches):
            x, y = self.batches[step % len(self.batches)]
            logits = model["head"](model["rnn"](model["embed"](x))[0])
            loss = self.torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB),
                                                          y.reshape(-1))
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()


def add_recurrent_workloads(workloads, fraction, with_torch, cells=("LSTM", "GRU")):
    """The rows of ``cells`` (minigrad, and PyTorch when installed)."""
    key = f"adam b{BATCH} L{LENGTH}"
    for cell in cells:
        workloads[f"minigrad  {cell} {key}"] = MinigradRecurrent(cell, fraction)
        if with_torch:
            workloads[f"torch     {cell} {key}"] = TorchRecurrent(cell, fraction)
    return workloads


def main(argv=None) -> int:
    import argparse
    parser = argparse.ArgumentParser(prog="python -m benchmarks.recurrent")
    parser.add_argument("--threads", default="1", help="BLAS threads (set before NumPy loads)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--fraction", type=float, default=0.3, help="of STEPS per round")
    args = parser.parse_args(argv)
    try:
        import torch  # noqa: F401
        with_torch = True
    except ImportError:
        with_torch = False
    workloads = add_recurrent_workloads({}, args.fraction, with_torch)
    for workload in workloads.values():  # warm-up
        workload.epoch(max_batches=3)
    samples = {name: [] for name in workloads}
    for _ in range(args.rounds):  # interleaved: each row runs once per round
        for name, workload in workloads.items():
            start = time.perf_counter()
            workload.epoch()
            samples[name].append((time.perf_counter() - start) / workload.steps * 1e3)
    medians = {name: float(np.median(s)) for name, s in samples.items()}
    print(f"BLAS threads {args.threads}, median ms per training step over {args.rounds} rounds")
    for name, median in medians.items():
        anchor = medians.get("torch     " + name.split(None, 1)[1])
        ratio = f"{median / anchor:6.2f}x torch" if anchor and name.startswith("minigrad") else ""
        print(f"{name:34s} {median:8.2f} ms  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
