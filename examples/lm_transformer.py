"""Step 4 of the language-model path: a small GPT on names.

Every position attends to all earlier ones (causal self-attention), in 4 pre-LayerNorm
blocks of 4 heads and 64 channels (~200K parameters), with learned position embeddings and
an output layer that shares the token embedding's weight. Trained as nanoGPT trains: AdamW
with weight decay on the matrices only, gradient clipping at 1, and a learning rate that
warms up linearly and then follows a cosine down to a tenth, computed by a small function
of the step and written into the optimizer.

    python examples/lm_transformer.py            # 5,000 steps of batch 32
    python examples/lm_transformer.py --quick    # 60 steps
"""
import math
import sys

import minigrad as mg
from minigrad.models.char import GPT, decay_groups
from minigrad.data import CharWords
from minigrad.nn import functional as F

quick = "--quick" in sys.argv
mg.manual_seed(42)
train, val = (CharWords("names", split=s, form="sequence") for s in ("train", "val"))
V = train.vocab_size
model = GPT(V, block_size=train.block_size, n_layer=4, n_head=4, n_embd=64)
print(f"GPT: {sum(p.numel() for p in model.parameters())} parameters, "
      f"context of {train.block_size} characters")

steps, warmup, max_lr = (60, 10, 1e-3) if quick else (5000, 200, 1e-3)


def learning_rate(step):
    """Linear warmup to max_lr, then a half cosine from max_lr down to max_lr / 10."""
    if step < warmup:
        return max_lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return max_lr / 10 + 0.9 * max_lr * 0.5 * (1 + math.cos(math.pi * progress))


def loss_on(x, y):
    return F.cross_entropy(model(x).view(-1, V), y.view(-1), ignore_index=-1)


def evaluate(data):
    model.eval()
    with mg.no_grad():
        loss = loss_on(mg.tensor(data.x), mg.tensor(data.y)).item()
    model.train()
    return loss


optimizer = mg.optim.AdamW(decay_groups(model, weight_decay=0.1), lr=max_lr, betas=(0.9, 0.99))
generator = mg.Generator().manual_seed(0)
for step in range(steps):
    for group in optimizer.param_groups:
        group["lr"] = learning_rate(step)
    x, y = train[mg.randint(0, len(train), (32,), generator=generator)]
    loss = loss_on(x, y)
    optimizer.zero_grad()
    loss.backward()
    mg.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if (step + 1) % (steps if quick else steps // 5) == 0:  # quick: only the end
        print(f"step {step + 1:5d}  lr {learning_rate(step):.2e}  batch loss {loss.item():.4f}"
              f"  validation {evaluate(val):.4f}")

start = mg.zeros((10, 1), dtype=mg.int64)
rows = model.generate(start, train.block_size, temperature=1.0,
                      generator=mg.Generator().manual_seed(2147483647))
print("samples:", " ".join(train.words_from(rows)))
