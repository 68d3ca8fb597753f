"""A small GPT on names written for PyTorch (nanoGPT style, attention by hand): token and
position embeddings, a causal mask kept as a tril buffer and applied with masked_fill,
softmax attention with dropout, pre-LayerNorm blocks with a GELU MLP, a weight-tied lm head,
AdamW with decay / no-decay parameter groups, clip_grad_norm_; then top-k sampling with
torch.multinomial. Asserts the validation loss it must reach.
Usage: python lm_gpt.py NAMES_FILE [MAX_VAL_LOSS]"""
import math
import sys

import torch
import torch.nn as nn
from torch.nn import functional as F

torch.manual_seed(1337)
words = open(sys.argv[1]).read().splitlines()
perm = torch.randperm(len(words), generator=torch.Generator().manual_seed(3)).tolist()
words = [words[i] for i in perm[:5000]]
max_val_loss = float(sys.argv[2]) if len(sys.argv) > 2 else 2.40
chars = sorted(set("".join(words)))
stoi = {ch: i + 1 for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
vocab_size, block_size = len(chars) + 1, max(len(w) for w in words) + 1
n_embd, n_head, n_layer, dropout = 48, 4, 2, 0.1


def encode(batch):
    x = torch.zeros(len(batch), block_size, dtype=torch.long)
    y = torch.full((len(batch), block_size), -1, dtype=torch.long)
    for i, w in enumerate(batch):
        codes = [stoi[c] for c in w]
        x[i, 1:len(w) + 1] = torch.tensor(codes)
        y[i, :len(w) + 1] = torch.tensor(codes + [0])
    return x, y


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_dropout = nn.Dropout(dropout)
        self.register_buffer("bias", torch.tril(torch.ones(block_size, block_size))
                             .view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(n_embd, dim=2)
        k = k.view(B, T, n_head, C // n_head).transpose(1, 2)
        q = q.view(B, T, n_head, C // n_head).transpose(1, 2)
        v = v.view(B, T, n_head, C // n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = self.attn_dropout(F.softmax(att, dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(n_embd), nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention()
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(),
                                 nn.Linear(4 * n_embd, n_embd), nn.Dropout(dropout))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd), wpe=nn.Embedding(block_size, n_embd),
            h=nn.ModuleList([Block() for _ in range(n_layer)]), ln_f=nn.LayerNorm(n_embd)))
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets=None):
        pos = torch.arange(0, idx.size(1), dtype=torch.long)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        logits = self.lm_head(self.transformer.ln_f(x))
        loss = None if targets is None else F.cross_entropy(
            logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None, generator=None):
        for _ in range(max_new_tokens):
            logits, _ = self(idx[:, -block_size:])
            logits = logits[:, -1, :] / temperature
            if top_k is not None:
                v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                logits[logits < v[:, [-1]]] = -float("Inf")
            probs = F.softmax(logits, dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1, generator=generator)),
                            dim=1)
        return idx


n = int(0.9 * len(words))
Xtr, Ytr = encode(words[:n])
Xva, Yva = encode(words[n:])
model = GPT()
params = {name: p for name, p in model.named_parameters() if p.requires_grad}
decay = [p for p in params.values() if p.dim() >= 2]
no_decay = [p for p in params.values() if p.dim() < 2]
optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                               {"params": no_decay, "weight_decay": 0.0}],
                              lr=3e-3, betas=(0.9, 0.99))
print(f"{sum(p.numel() for p in model.parameters())} parameters, "
      f"{len(decay)} decayed tensors, {len(no_decay)} not")
g = torch.Generator().manual_seed(0)
model.train()
for step in range(250):
    ix = torch.randint(0, len(Xtr), (64,), generator=g)
    _, loss = model(Xtr[ix], Ytr[ix])
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if step % 50 == 0:
        print(f"step {step}: loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    _, val_loss = model(Xva, Yva)
print(f"validation loss {val_loss.item():.4f}")
assert val_loss.item() < max_val_loss, val_loss.item()

rows = model.generate(torch.zeros((8, 1), dtype=torch.long), block_size, top_k=10,
                      generator=torch.Generator().manual_seed(2147483647))
names = ["".join(itos.get(i, ".") for i in row[1:].tolist()).split(".")[0] for row in rows]
print("samples:", " ".join(names))
assert rows.shape == (8, block_size + 1)
print("GPT language model OK")
