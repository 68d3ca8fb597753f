"""The manual-backward exercise: backpropagate through Bengio's MLP with batch norm by hand,
one intermediate at a time, and check every gradient against autograd element by element.
Then train the model with nothing but the hand-written gradients.

    python examples/lm_manual_backward.py            # the check, then 3,000 manual steps
    python examples/lm_manual_backward.py --quick    # the check, then 200 steps

The forward pass is broken into small steps so that each has a one-line derivative. Every
intermediate keeps its gradient (``retain_grad``), so autograd's value of d loss / d t can be
set beside ours for each t. Everything runs in float64, so the two agree to ~1e-15.
"""
import sys

import numpy as np

import minigrad as mg
from minigrad.data import CharWords
from minigrad.nn import functional as F

quick = "--quick" in sys.argv
mg.manual_seed(42)
train, val = CharWords("names", split="train", block_size=3), CharWords("names", split="val",
                                                                        block_size=3)
V, block, n_embd, n_hidden, B = train.vocab_size, 3, 10, 64, 32
rng = np.random.default_rng(42)


def parameter(*shape, scale):
    return mg.Tensor(rng.standard_normal(shape) * scale, requires_grad=True)  # float64


C = parameter(V, n_embd, scale=1.0)
W1 = parameter(block * n_embd, n_hidden, scale=(5 / 3) / (block * n_embd) ** 0.5)  # tanh gain
b1 = parameter(n_hidden, scale=0.1)  # useless under batch norm, but its gradient must be 0
W2 = parameter(n_hidden, V, scale=0.1)
b2 = parameter(V, scale=0.1)
bngain = mg.Tensor(1 + 0.1 * rng.standard_normal((1, n_hidden)), requires_grad=True)
bnbias = parameter(1, n_hidden, scale=0.1)
parameters = [C, W1, b1, W2, b2, bngain, bnbias]


def forward(Xb, Yb):
    """The MLP in small steps; returns the loss and every intermediate by name."""
    t = {}
    t["emb"] = C[Xb]                                    # (B, block, n_embd)
    t["embcat"] = t["emb"].reshape(len(Xb), -1)         # (B, block * n_embd)
    t["hprebn"] = t["embcat"] @ W1 + b1                 # (B, n_hidden)
    t["bnmean"] = t["hprebn"].mean(0, keepdim=True)
    t["bndiff"] = t["hprebn"] - t["bnmean"]
    t["bndiff2"] = t["bndiff"] ** 2
    t["bnvar"] = t["bndiff2"].mean(0, keepdim=True)     # biased, as batch norm normalises
    t["bnvar_inv"] = (t["bnvar"] + 1e-5) ** -0.5
    t["bnraw"] = t["bndiff"] * t["bnvar_inv"]
    t["hpreact"] = bngain * t["bnraw"] + bnbias
    t["h"] = t["hpreact"].tanh()
    t["logits"] = t["h"] @ W2 + b2
    return F.cross_entropy(t["logits"], Yb), t


def manual_backward(Xb, Yb, t):
    """d loss / d x for every intermediate and parameter, by the chain rule, in NumPy."""
    a = {name: value.array for name, value in t.items()}
    n = len(Xb)
    d = {}
    # cross-entropy of softmax: d loss / d logits = (softmax - one_hot) / n
    probs = np.exp(a["logits"] - a["logits"].max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    d["logits"] = probs
    d["logits"][np.arange(n), Yb] -= 1
    d["logits"] /= n
    d["h"] = d["logits"] @ W2.array.T
    d["W2"], d["b2"] = a["h"].T @ d["logits"], d["logits"].sum(0)
    d["hpreact"] = (1 - a["h"] ** 2) * d["h"]           # tanh' = 1 - tanh^2
    d["bngain"] = (a["bnraw"] * d["hpreact"]).sum(0, keepdims=True)
    d["bnbias"] = d["hpreact"].sum(0, keepdims=True)
    d["bnraw"] = bngain.array * d["hpreact"]
    # bnraw = bndiff * bnvar_inv: both factors get a share (bnvar_inv is broadcast: sum)
    d["bnvar_inv"] = (a["bndiff"] * d["bnraw"]).sum(0, keepdims=True)
    d["bnvar"] = -0.5 * (a["bnvar"] + 1e-5) ** -1.5 * d["bnvar_inv"]
    d["bndiff2"] = np.ones_like(a["bndiff2"]) / n * d["bnvar"]  # the mean spreads evenly
    d["bndiff"] = a["bnvar_inv"] * d["bnraw"] + 2 * a["bndiff"] * d["bndiff2"]  # two paths
    d["bnmean"] = -d["bndiff"].sum(0, keepdims=True)
    d["hprebn"] = d["bndiff"] + np.ones_like(a["hprebn"]) / n * d["bnmean"]
    d["embcat"] = d["hprebn"] @ W1.array.T
    d["W1"], d["b1"] = a["embcat"].T @ d["hprebn"], d["hprebn"].sum(0)
    d["emb"] = d["embcat"].reshape(a["emb"].shape)
    d["C"] = np.zeros_like(C.array)
    np.add.at(d["C"], Xb, d["emb"])                     # rows used twice add up
    return d


def batchnorm_backward_in_one_line(hpreact_grad, t):
    """The same d loss / d hprebn in closed form: gain * inv_std / n *
    (n g - sum(g) - raw * sum(g * raw)), with g = d loss / d hpreact."""
    g, raw, n = hpreact_grad, t["bnraw"].array, len(hpreact_grad)
    return bngain.array * t["bnvar_inv"].array / n * (n * g - g.sum(0) - raw * (g * raw).sum(0))


# 1. One batch: autograd's gradients next to ours, for every intermediate and parameter.
index = rng.integers(0, len(train), B)
Xb, Yb = train.x[index], train.y[index]
loss, t = forward(Xb, Yb)
for value in t.values():
    value.retain_grad()
loss.backward()
mine = manual_backward(Xb, Yb, t)
named = dict(t, C=C, W1=W1, b1=b1, W2=W2, b2=b2, bngain=bngain, bnbias=bnbias)
worst = 0.0
for name, value in named.items():
    difference = np.abs(mine[name] - value.grad.array).max()
    worst = max(worst, difference)
    print(f"{name:10s} exact: {bool(np.allclose(mine[name], value.grad.array, rtol=0, atol=1e-12))}"
          f"  max |manual - autograd| = {difference:.1e}")
one_line = batchnorm_backward_in_one_line(mine["hpreact"], t)
print(f"batch norm in one line matches: {np.allclose(one_line, mine['hprebn'], rtol=0, atol=1e-12)}")
print(f"all gradients match autograd: {worst < 1e-12}")

# 2. Train with our gradients only: no .backward() below.
steps = 200 if quick else 3000
with mg.no_grad():
    for step in range(steps + 1):
        index = rng.integers(0, len(train), B)
        Xb, Yb = train.x[index], train.y[index]
        loss, t = forward(Xb, Yb)
        grads = manual_backward(Xb, Yb, t)
        lr = 0.1 if step < steps * 3 // 4 else 0.01
        for p, name in zip(parameters, ["C", "W1", "b1", "W2", "b2", "bngain", "bnbias"]):
            p.array -= lr * grads[name]
        if step % (steps // 4) == 0:
            print(f"step {step:5d}  batch loss {loss.item():.4f}")
    # Evaluate as the network will be used: the batch statistics of the whole training set.
    _, t = forward(train.x, train.y)
    mean, var = t["bnmean"], t["bnvar"]
    h = ((C[val.x].reshape(len(val.x), -1) @ W1 + b1 - mean) * (var + 1e-5) ** -0.5 * bngain
         + bnbias).tanh()
    print(f"validation loss after {steps} manual steps: "
          f"{F.cross_entropy(h @ W2 + b2, val.y).item():.4f}")
