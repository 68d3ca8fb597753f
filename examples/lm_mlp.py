"""Step 2 of the language-model path: Bengio et al.'s MLP (2003) on names.

Each character is predicted from the ``block_size`` characters before it: their embeddings
(rows of a learned table) are concatenated and go through one tanh hidden layer, batch-normed
as in makemore part 3. Against the bigram's ~2.45 nats per character, three characters of
context bring the validation loss towards 2.1.

    python examples/lm_mlp.py            # 20,000 steps of batch 32
    python examples/lm_mlp.py --quick    # 300 steps
"""
import sys

import minigrad as mg
from minigrad.models.char import MLP
from minigrad.data import CharWords, DataLoader
from minigrad.nn import functional as F

quick = "--quick" in sys.argv
mg.manual_seed(42)
block_size = 3
train, val = (CharWords("names", split=s, block_size=block_size) for s in ("train", "val"))
model = MLP(train.vocab_size, block_size=block_size, n_embd=10, n_hidden=200, batch_norm=True)
print(f"{sum(p.numel() for p in model.parameters())} parameters; "
      f"{len(train)} training examples of {block_size} characters -> the next")


def evaluate(data):
    """The average loss over every example of a split, in eval mode (running statistics)."""
    model.eval()
    with mg.no_grad():
        loss = F.cross_entropy(model(mg.tensor(data.x)), mg.tensor(data.y)).item()
    model.train()
    return loss


steps = 300 if quick else 20_000
optimizer = mg.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(train, batch_size=32, shuffle=True)
step = 0
while step < steps:
    for x, y in loader:
        # makemore's schedule: a large step first, a ten times smaller one for the last part
        optimizer.param_groups[0]["lr"] = 0.1 if step < steps * 3 // 4 else 0.01
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        if step % (steps if quick else steps // 5) == 0:  # quick: only the end
            print(f"step {step:6d}  batch loss {loss.item():.4f}  validation {evaluate(val):.4f}")
        if step == steps:
            break

print(f"final: train {evaluate(train):.4f}  validation {evaluate(val):.4f}")
start = mg.zeros((10, 1), dtype=mg.int64)
rows = model.generate(start, 20, generator=mg.Generator().manual_seed(2147483647))
print("samples:", " ".join(train.words_from(rows)))
