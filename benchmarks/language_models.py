"""Language models, minigrad against PyTorch (measurements, not tests).

1. Like for like: the same model (the same source, ``minigrad/models/char.py``, run once on
   minigrad and once on PyTorch: it is written with PyTorch's API), the same initial weights,
   the same batches of the same split, the same AdamW groups, clipping and learning-rate
   schedule, the same number of steps; both test losses are reported and must end within
   0.02 nats per character of each other.

       python -m benchmarks.language_models --model transformer --steps 2000

2. Step timings for ``python -m benchmarks``: a training step of the transformer (batch 32,
   block 16) and of an LSTM language model, minigrad and PyTorch eager, as workloads whose
   "epoch" is 100 steps, interleaved with the other rows.
"""
from __future__ import annotations

import argparse
import math
import time
import types

import numpy as np

import minigrad as mg
from minigrad.data import CharWords
from minigrad.models import char
from minigrad.nn import functional as F

STEPS_PER_EPOCH = 100  # a timing workload's "epoch"


def torch_twin_module():
    """``minigrad/models/char.py`` executed with PyTorch in place of minigrad: the same
    classes, now PyTorch modules (the file uses only PyTorch's API)."""
    import torch  # noqa: F401  (the module's imports below resolve against it)
    source = open(char.__file__).read()
    for ours, theirs in [("from .. import nn\n", "from torch import nn\n"),
                         ("from ..creation import zeros\n", "from torch import zeros\n"),
                         ("from ..functional import multinomial\n", "from torch import multinomial\n"),
                         ("from ..functional.shape import cat\n", "from torch import cat\n"),
                         ("from ..grad_mode import no_grad\n", "from torch import no_grad\n"),
                         ("from ..nn import functional as F\n", "from torch.nn import functional as F\n")]:
        if ours not in source:
            raise RuntimeError(f"models/char.py no longer imports {ours.strip()!r}; update the twin")
        source = source.replace(ours, theirs)
    module = types.ModuleType("char_on_torch")
    exec(compile(source, char.__file__ + " (on torch)", "exec"), module.__dict__)
    return module


def names_splits(model_name):
    form = char.MODELS[model_name][1]
    return [CharWords("names", split=s, form=form) for s in ("train", "val", "test")]


def learning_rate(step, steps, max_lr, warmup):
    """Linear warmup, then a half cosine down to max_lr / 10 (as examples/lm_transformer.py)."""
    if step < warmup:
        return max_lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return max_lr / 10 + 0.9 * max_lr * 0.5 * (1 + math.cos(math.pi * progress))


class MinigradLM:
    """Training steps of a language model on names in minigrad (AdamW groups, clipping)."""

    def __init__(self, model_name="transformer", batch_size=32, lr=1e-3, seed=0):
        self.train, _, self.test = names_splits(model_name)
        mg.manual_seed(seed)
        self.model = char.build(model_name, self.train.vocab_size, self.train.block_size)
        self.optimizer = mg.optim.AdamW(char.decay_groups(self.model), lr=lr, betas=(0.9, 0.99))
        self.batch_size, self.rng = batch_size, np.random.default_rng(seed)

    def loss(self, x, y):
        logits = self.model(x)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                               ignore_index=-1)

    def step(self, index, lr=None):
        if lr is not None:
            for group in self.optimizer.param_groups:
                group["lr"] = lr
        x, y = self.train.__getitems__(index)
        loss = self.loss(mg.tensor(x), mg.tensor(y))
        self.optimizer.zero_grad()
        loss.backward()
        mg.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        return loss.item()

    def epoch(self, max_batches=None):
        for _ in range(max_batches or STEPS_PER_EPOCH):
            self.step(self.rng.integers(0, len(self.train), self.batch_size))

    def test_loss(self):
        self.model.eval()
        with mg.no_grad():
            loss = self.loss(mg.tensor(self.test.x), mg.tensor(self.test.y)).item()
        self.model.train()
        return loss


class TorchLM(MinigradLM):
    """The same model, data and update in PyTorch eager mode; ``weights_from`` copies a
    MinigradLM's initial weights so that both start from the same point."""

    def __init__(self, model_name="transformer", batch_size=32, lr=1e-3, seed=0,
                 weights_from=None):
        import torch
        self.torch = torch
        torch.manual_seed(seed)
        twin = torch_twin_module()
        self.train, _, self.test = names_splits(model_name)
        self.model = twin.build(model_name, self.train.vocab_size, self.train.block_size)
        if weights_from is not None:
            state = {k: torch.from_numpy(v.array.copy()) if hasattr(v, "array") else v
                     for k, v in weights_from.model.state_dict().items()}
            missing, unexpected = self.model.load_state_dict(state, strict=False)
            if unexpected or set(missing) - {"lm_head.weight"}:  # the tied head is wte
                raise RuntimeError(f"state_dict mismatch: missing {missing}, unexpected "
                                   f"{unexpected}")
        self.optimizer = torch.optim.AdamW(twin.decay_groups(self.model), lr=lr,
                                           betas=(0.9, 0.99))
        self.batch_size, self.rng = batch_size, np.random.default_rng(seed)

    def loss(self, x, y):
        logits = self.model(x)
        return self.torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                                      y.reshape(-1), ignore_index=-1)

    def step(self, index, lr=None):
        if lr is not None:
            for group in self.optimizer.param_groups:
                group["lr"] = lr
        x, y = self.train.__getitems__(index)
        loss = self.loss(self.torch.from_numpy(x), self.torch.from_numpy(y))
        self.optimizer.zero_grad()
        loss.backward()
        self.torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        return loss.item()

    def test_loss(self):
        self.model.eval()
        with self.torch.no_grad():
            loss = self.loss(self.torch.from_numpy(self.test.x),
                             self.torch.from_numpy(self.test.y)).item()
        self.model.train()
        return loss


def like_for_like(model_name="transformer", steps=2000, batch_size=32, lr=1e-3, seed=0,
                  log=print):
    """Train minigrad and PyTorch side by side on identical batches; returns both test losses
    and seconds."""
    ours = MinigradLM(model_name, batch_size, lr, seed)
    theirs = TorchLM(model_name, batch_size, lr, seed, weights_from=ours)
    batches = np.random.default_rng(seed + 1).integers(0, len(ours.train), (steps, batch_size))
    warmup = max(1, steps // 20)
    seconds = {"minigrad": 0.0, "torch": 0.0}
    for step, index in enumerate(batches):
        rate = learning_rate(step, steps, lr, warmup)
        start = time.perf_counter()
        loss_ours = ours.step(index, rate)
        middle = time.perf_counter()
        loss_theirs = theirs.step(index, rate)
        seconds["minigrad"] += middle - start
        seconds["torch"] += time.perf_counter() - middle
        if log and (step + 1) % max(1, steps // 10) == 0:
            log(f"step {step + 1:5d}: batch loss minigrad {loss_ours:.4f}, torch {loss_theirs:.4f}")
    return {"model": model_name, "steps": steps, "batch_size": batch_size,
            "test_loss_minigrad": ours.test_loss(), "test_loss_torch": theirs.test_loss(),
            "seconds": seconds}


def add_lm_workloads(workloads, with_torch, batch_size=32):
    """The language-model timing rows: the transformer (block 16) and an LSTM, per 100 steps."""
    for label, model_name in (("GPT", "transformer"), ("LSTM", "lstm")):
        key = f"{label} adamw b{batch_size}"
        workloads[f"minigrad  {key}"] = MinigradLM(model_name, batch_size)
        if with_torch:
            workloads[f"torch     {key}"] = TorchLM(model_name, batch_size,
                                                    weights_from=workloads[f"minigrad  {key}"])
    return workloads


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.language_models")
    parser.add_argument("--model", choices=list(char.MODELS), default="transformer")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    result = like_for_like(args.model, args.steps, args.batch_size, args.lr, args.seed)
    gap = abs(result["test_loss_minigrad"] - result["test_loss_torch"])
    print(f"{args.model}, {args.steps} steps of batch {args.batch_size} on names: test loss "
          f"minigrad {result['test_loss_minigrad']:.4f}, PyTorch {result['test_loss_torch']:.4f}"
          f" (difference {gap:.4f}, {'within' if gap <= 0.02 else 'NOT within'} 0.02); "
          f"training seconds minigrad {result['seconds']['minigrad']:.1f}, PyTorch "
          f"{result['seconds']['torch']:.1f} (ratio "
          f"{result['seconds']['minigrad'] / result['seconds']['torch']:.2f})")
    return 0 if gap <= 0.02 else 1


if __name__ == "__main__":
    raise SystemExit(main())
