"""Karpathy's makemore path with plain tensor ops: bigram counts sampled with a seeded
Generator and torch.multinomial, a one-hot neural bigram, an MLP over an embedding table,
and top-k sampling through a causal (tril / masked_fill) average of the context.
Usage: python makemore_ops.py NAMES_FILE"""
import sys

import torch
import torch.nn.functional as F

words = open(sys.argv[1]).read().splitlines()[:3000]
chars = sorted(set("".join(words)))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi["."] = 0
itos = {i: s for s, i in stoi.items()}
g = torch.Generator().manual_seed(2147483647)

# bigram counts, smoothed, sampled
N = torch.zeros((27, 27), dtype=torch.int32)
for w in words:
    chs = ["."] + list(w) + ["."]
    for ch1, ch2 in zip(chs, chs[1:]):
        N[stoi[ch1], stoi[ch2]] += 1
assert N.sum().item() == sum(len(w) + 1 for w in words)
P = (N + 1).float()
P /= P.sum(1, keepdims=True)
first = [torch.multinomial(P[0], 1, replacement=True, generator=g).item() for _ in range(3)]
again = torch.Generator().manual_seed(2147483647)
assert first == [torch.multinomial(P[0], 1, True, generator=again).item() for _ in range(3)]
log_likelihood = sum(P[stoi[a], stoi[b]].log().item()
                     for w in words for a, b in zip("." + w, w + "."))
count_loss = -log_likelihood / N.sum().item()

# the same model as a one-hot network, trained by gradient descent
xs = torch.tensor([stoi[a] for w in words for a in "." + w])
ys = torch.tensor([stoi[b] for w in words for b in w + "."])
W = torch.randn((27, 27), generator=g, requires_grad=True)
for _ in range(100):
    logits = F.one_hot(xs, num_classes=27).float() @ W
    loss = F.cross_entropy(logits, ys)
    W.grad = None
    loss.backward()
    W.data += -50 * W.grad
onehot_loss = loss.item()
assert onehot_loss < count_loss + 0.1, (onehot_loss, count_loss)

# an MLP over an embedding table of the last three characters
block_size = 3
X, Y = [], []
for w in words:
    context = [0] * block_size
    for ch in w + ".":
        X.append(context)
        Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
X, Y = torch.tensor(X), torch.tensor(Y)
C = torch.randn((27, 10), generator=g)
W1 = torch.randn((30, 200), generator=g) * 0.2
b1 = torch.randn(200, generator=g) * 0.01
W2 = torch.randn((200, 27), generator=g) * 0.01
b2 = torch.zeros(27)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True
for i in range(1500):
    ix = torch.randint(0, X.shape[0], (32,), generator=g)
    h = torch.tanh(F.embedding(X[ix], C).view(-1, 30) @ W1 + b1)
    loss = F.cross_entropy(h @ W2 + b2, Y[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -(0.1 if i < 1000 else 0.01) * p.grad
with torch.no_grad():
    h = torch.tanh(C[X].view(-1, 30) @ W1 + b1)
    mlp_loss = F.cross_entropy(h @ W2 + b2, Y).item()
assert mlp_loss < count_loss, (mlp_loss, count_loss)

# sampling: top-k of the logits, then multinomial
names = []
with torch.no_grad():
    for _ in range(5):
        context, out = [0] * block_size, []
        while len(out) < 20:
            emb = C[torch.tensor([context])]                      # (1, 3, 10)
            causal = torch.tril(torch.ones(block_size, block_size))
            mix = torch.zeros(block_size, block_size).masked_fill(causal == 0, float("-inf"))
            emb = emb + 0.0 * (mix.softmax(-1) @ emb)             # a causal average, weight 0
            logits = torch.tanh(emb.view(1, -1) @ W1 + b1) @ W2 + b2
            values, indices = torch.topk(logits, 10)
            logits = logits.masked_fill(logits < values[:, [-1]], float("-inf"))
            ix = torch.multinomial(F.softmax(logits, dim=1), 1, generator=g).item()
            context = context[1:] + [ix]
            if ix == 0:
                break
            out.append(itos[ix])
        names.append("".join(out))
assert all(name.isalpha() or name == "" for name in names)
print(f"count loss {count_loss:.3f}, one-hot net {onehot_loss:.3f}, mlp {mlp_loss:.3f}; "
      f"samples: {', '.join(names)}")
print("makemore ops OK")
