"""``python -m benchmarks.sequence``: a training step of the sequence models of issue 22
(a small causal transformer and an LSTM, batch 32, block 16, AdamW) in minigrad and in
PyTorch eager, the two alternating step by step in one process (medians).

Each model is written once, against a module namespace that is ``minigrad`` or ``torch``:
minigrad's API is PyTorch's, so the two sides run the same code, with the same shapes and
initialisation rules. The data are random character indices (the time of a step does not
depend on their values).
"""
import argparse
import time

import numpy as np

VOCAB, BLOCK, BATCH = 27, 16, 32  # the names data set: 26 letters and the end mark


def transformer(torch, channels=64, heads=4, layers=4):
    """A GPT-style character model: token and position embeddings, pre-norm blocks of causal
    multi-head self-attention and a 4x GELU MLP, a final LayerNorm and a linear head."""
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(channels), nn.LayerNorm(channels)
            self.attn = nn.MultiheadAttention(channels, heads, batch_first=True)
            self.mlp = nn.Sequential(nn.Linear(channels, 4 * channels), nn.GELU(),
                                     nn.Linear(4 * channels, channels))

        def forward(self, x, mask):
            h = self.ln1(x)
            x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens, self.positions = nn.Embedding(VOCAB, channels), nn.Embedding(BLOCK, channels)
            self.blocks = nn.ModuleList([Block() for _ in range(layers)])
            self.ln, self.head = nn.LayerNorm(channels), nn.Linear(channels, VOCAB)
            # True above the diagonal: a position attends to itself and the past only.
            self.mask = torch.triu(torch.ones(BLOCK, BLOCK), diagonal=1) > 0

        def forward(self, idx):
            x = self.tokens(idx) + self.positions(torch.arange(idx.shape[1]))
            for block in self.blocks:
                x = block(x, self.mask)
            return self.head(self.ln(x))
    return GPT()


def lstm(torch, embedding=64, hidden=128):
    """Embedding, a one-layer LSTM over the block, a linear head on every position."""
    nn = torch.nn

    class CharLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(VOCAB, embedding)
            self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
            self.head = nn.Linear(hidden, VOCAB)

        def forward(self, idx):
            return self.head(self.lstm(self.embed(idx))[0])
    return CharLSTM()


def _step(torch, build, seed=0):
    torch.manual_seed(seed)
    model = build(torch)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.integers(0, VOCAB, (BATCH, BLOCK)))
    y = torch.from_numpy(rng.integers(0, VOCAB, (BATCH, BLOCK)))

    def step():
        optimizer.zero_grad()
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
        loss.backward()
        optimizer.step()
    return step


def measure(build, steps=60, with_torch=True) -> dict:
    """Median seconds per step of minigrad (and PyTorch), alternating step by step."""
    import minigrad
    sides = {"minigrad": _step(minigrad, build)}
    if with_torch:
        import torch
        sides["torch"] = _step(torch, build)
    times = {name: [] for name in sides}
    for index in range(steps + 5):
        for name, step in sides.items():
            start = time.perf_counter()
            step()
            if index >= 5:  # after the warm-up
                times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def measure_all(steps=60, with_torch=True) -> dict:
    return {f"{name}, batch {BATCH}, block {BLOCK}, AdamW": measure(build, steps, with_torch)
            for name, build in (("transformer 4x4x64", transformer), ("LSTM 64-128", lstm))}


def table(results) -> str:
    lines = [f"{'sequence-model step':38s} {'minigrad ms':>11s} {'torch ms':>9s} {'ratio':>6s}"]
    for name, m in results.items():
        ours, theirs = m["minigrad"] * 1e3, m.get("torch")
        ratio = f"{m['minigrad'] / theirs:6.2f}" if theirs else ""
        torch_ms = f"{theirs * 1e3:9.2f}" if theirs else ""
        lines.append(f"{name:38s} {ours:11.2f} {torch_ms:>9s} {ratio:>6s}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sequence")
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args(argv)
    try:
        import torch
        torch.set_num_threads(1)
        with_torch = True
    except ImportError:
        with_torch = False
    print(table(measure_all(args.steps, with_torch)))


if __name__ == "__main__":
    main()
