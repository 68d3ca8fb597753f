"""A character-level MLP language model written for PyTorch (makemore part 3 style, with
nn modules): nn.Embedding, nn.Linear, nn.BatchNorm1d, nn.Tanh in an nn.Sequential,
TensorDataset + DataLoader with a seeded Generator, AdamW, F.cross_entropy, eval mode, and
sampling with torch.multinomial. Asserts the validation loss it must reach.
Usage: python lm_embedding_mlp.py NAMES_FILE [MAX_VAL_LOSS]"""
import random
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(42)
random.seed(42)
words = open(sys.argv[1]).read().splitlines()
random.shuffle(words)
words = words[:6000]
max_val_loss = float(sys.argv[2]) if len(sys.argv) > 2 else 2.40
chars = sorted(set("".join(words)))
stoi = {ch: i + 1 for i, ch in enumerate(chars)}
stoi["."] = 0
itos = {i: ch for ch, i in stoi.items()}
vocab_size, block_size = len(itos), 3


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return torch.tensor(X), torch.tensor(Y)


n = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n])
Xva, Yva = build_dataset(words[n:])
assert Xtr.dtype == torch.int64 and Xtr.shape[1] == block_size

model = nn.Sequential(
    nn.Embedding(vocab_size, 16),
    nn.Flatten(),
    nn.Linear(block_size * 16, 128, bias=False),
    nn.BatchNorm1d(128),
    nn.Tanh(),
    nn.Linear(128, vocab_size),
)
with torch.no_grad():
    model[-1].weight *= 0.1  # a less confident start
print(sum(p.numel() for p in model.parameters()), "parameters")
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
loader = DataLoader(TensorDataset(Xtr, Ytr), batch_size=64, shuffle=True, drop_last=True,
                    generator=torch.Generator().manual_seed(0))
for epoch in range(2):
    for step, (xb, yb) in enumerate(loader):
        loss = F.cross_entropy(model(xb), yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: last batch loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    val_loss = F.cross_entropy(model(Xva), Yva).item()
print(f"validation loss {val_loss:.4f}")
assert val_loss < max_val_loss, val_loss

g = torch.Generator().manual_seed(2147483647)
names = []
with torch.no_grad():
    for _ in range(10):
        context, out = [0] * block_size, []
        while len(out) < 30:
            probs = F.softmax(model(torch.tensor([context])), dim=1)
            ix = torch.multinomial(probs, num_samples=1, generator=g).item()
            context = context[1:] + [ix]
            if ix == 0:
                break
            out.append(itos[ix])
        names.append("".join(out))
print("samples:", " ".join(names))
assert sum(len(name) for name in names) > 20
print("embedding MLP language model OK")
