"""Character-level language models on a list of names, written for PyTorch: a GRU and an LSTM
over an embedding table, and a small causal transformer (token and position embeddings,
LayerNorm, MultiheadAttention with a causal mask, scaled_dot_product_attention, GELU, the
output layer tied to the embedding), trained with AdamW in decay / no-decay groups and
gradient clipping, then sampled one character at a time.
Usage: python char_sequence_models.py NAMES_FILE"""
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1337)
words = open(sys.argv[1]).read().splitlines()[:2000]
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
vocab, block = len(stoi), 8

# every name as (context of `block` characters) -> next character
xs, ys = [], []
for w in words:
    context = [0] * block
    for ch in w + ".":
        xs.append(context)
        ys.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
X, Y = torch.tensor(xs), torch.tensor(ys)
g = torch.Generator().manual_seed(42)


class Recurrent(nn.Module):
    def __init__(self, cell, width=24, hidden=48):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.rnn = cell(width, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, idx):
        out, _ = self.rnn(self.embed(idx))
        return self.head(out[:, -1])


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.qkv = nn.Linear(width, 3 * width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(),
                                 nn.Linear(4 * width, width))
        self.heads = heads
        self.register_buffer("mask", torch.triu(torch.ones(block, block, dtype=torch.bool), 1))

    def forward(self, x):
        B, T, C = x.shape
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=self.mask[:T, :T], need_weights=False)[0]
        q, k, v = self.qkv(h).split(C, dim=2)  # a second, functional attention path
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + y.transpose(1, 2).contiguous().view(B, T, C)
        return x + self.mlp(self.ln2(x))


class Transformer(nn.Module):
    def __init__(self, width=32, heads=4, layers=2):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, width), nn.Embedding(block, width)
        self.blocks = nn.Sequential(*[Block(width, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)
        self.head.weight = self.tok.weight  # weight tying
        self.apply(self._init)

    def _init(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        return self.head(self.ln(self.blocks(x)))[:, -1]


def train(model, steps, lr):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    assert len(decay) + len(no_decay) == len(list(model.parameters()))
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=lr)
    for step in range(steps):
        batch = torch.randint(0, X.shape[0], (64,), generator=g)
        loss = F.cross_entropy(model(X[batch]), Y[batch])
        optimizer.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        assert math.isfinite(norm.item())
        optimizer.step()
    with torch.no_grad():
        return F.cross_entropy(model(X[:2000]), Y[:2000]).item()


def sample(model):
    context, out = [0] * block, []
    with torch.no_grad():
        while len(out) < 20:
            probs = F.softmax(model(torch.tensor([context])), dim=-1)
            ix = torch.multinomial(probs, num_samples=1, generator=g).item()
            if ix == 0:
                break
            out.append(itos[ix])
            context = context[1:] + [ix]
    return "".join(out)


for name, model, steps, lr, bound in [("gru", Recurrent(nn.GRU), 150, 1e-2, 2.75),
                                      ("lstm", Recurrent(nn.LSTM), 150, 1e-2, 2.85),
                                      ("transformer", Transformer(), 150, 3e-3, 2.8)]:
    loss = train(model, steps, lr)
    names = [sample(model) for _ in range(3)]
    print(f"{name}: loss {loss:.3f}, samples {names}")
    assert loss < bound, (name, loss)  # ln(27) = 3.30 for a uniform guess
    assert all(set(n) <= set(chars) for n in names)
tied = dict(Transformer().named_parameters())
assert "head.weight" not in tied and "tok.weight" in tied
print("char sequence models OK")
