"""A GRU language model over names written for PyTorch: padded sequences with an ignored
target (-1), nn.Embedding + nn.GRU(batch_first=True) + nn.Linear, cross_entropy over (B, T, C)
logits reshaped, clip_grad_norm_, Adam; then sampling character by character, carrying the
hidden state, with torch.multinomial. Asserts the validation loss it must reach.
Usage: python lm_gru.py NAMES_FILE [MAX_VAL_LOSS]"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
words = open(sys.argv[1]).read().splitlines()
perm = torch.randperm(len(words), generator=torch.Generator().manual_seed(1)).tolist()
words = [words[i] for i in perm[:5000]]
max_val_loss = float(sys.argv[2]) if len(sys.argv) > 2 else 2.30
chars = sorted(set("".join(words)))
stoi = {ch: i + 1 for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
vocab_size = len(chars) + 1  # 0 is the start/end token
T = max(len(w) for w in words) + 1


def encode(batch):
    x = torch.zeros(len(batch), T, dtype=torch.long)
    y = torch.full((len(batch), T), -1, dtype=torch.long)  # -1: padding, ignored by the loss
    for i, w in enumerate(batch):
        ix = torch.tensor([stoi[c] for c in w])
        x[i, 1:1 + len(w)] = ix
        y[i, :len(w)] = ix
        y[i, len(w)] = 0
    return x, y


class CharGRU(nn.Module):
    def __init__(self, vocab_size, n_embd=32, hidden=96):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, n_embd)
        self.rnn = nn.GRU(n_embd, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, idx, h=None):
        out, h = self.rnn(self.emb(idx), h)
        return self.head(out), h


n = int(0.9 * len(words))
Xtr, Ytr = encode(words[:n])
Xva, Yva = encode(words[n:])
model = CharGRU(vocab_size)
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
g = torch.Generator().manual_seed(42)
for step in range(300):
    ix = torch.randint(0, Xtr.shape[0], (64,), generator=g)
    logits, _ = model(Xtr[ix])
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), Ytr[ix].view(-1), ignore_index=-1)
    optimizer.zero_grad()
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if step % 100 == 0:
        print(f"step {step}: loss {loss.item():.4f}, gradient norm {norm.item():.3f}")

with torch.no_grad():
    logits, _ = model(Xva)
    val_loss = F.cross_entropy(logits.reshape(-1, vocab_size), Yva.reshape(-1),
                               ignore_index=-1).item()
print(f"validation loss {val_loss:.4f}")
assert val_loss < max_val_loss, val_loss

gen = torch.Generator().manual_seed(2147483647)
names = []
with torch.no_grad():
    for _ in range(10):
        idx, h, out = torch.zeros((1, 1), dtype=torch.long), None, []
        for _ in range(20):
            logits, h = model(idx, h)  # one step, the hidden state carried along
            probs = F.softmax(logits[:, -1, :], dim=-1)
            idx = torch.multinomial(probs, num_samples=1, generator=gen)
            if idx.item() == 0:
                break
            out.append(itos[idx.item()])
        names.append("".join(out))
print("samples:", " ".join(names))
assert h.shape == (1, 1, 96)
print("GRU language model OK")
