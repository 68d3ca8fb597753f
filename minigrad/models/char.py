"""Character-level language models, in the order a learner meets them (makemore's path):

- ``Bigram``: a (V, V) table of logits, row = the previous character.
- ``MLP``: Bengio et al. (2003): embed the ``block_size`` previous characters, concatenate,
  one tanh hidden layer (optionally batch-normed), logits over the next character.
- ``RecurrentLM``: embeddings through ``nn.RNN`` / ``nn.GRU`` / ``nn.LSTM``, a linear head
  on every step's hidden state.
- ``GPT``: a small causal transformer (Radford et al.; nanoGPT's layout): token + position
  embeddings, pre-LayerNorm blocks of causal self-attention and a GELU MLP (GPT-2's tanh
  form), a final LayerNorm, and an lm head that shares its weight with the token embedding.

All take int64 indices: ``MLP`` maps (B, block_size) contexts to (B, V) logits, the others
map (B, T) sequences to (B, T, V), a prediction after every position. Each can ``generate``
by sampling one character at a time with ``multinomial``. Only PyTorch's API is used (the
layers of ``minigrad.nn``), so this file also runs on PyTorch with its imports swapped,
which is how ``benchmarks/language_models.py`` trains the same models on both.
"""
from __future__ import annotations

import math

from .. import nn
from ..creation import zeros
from ..functional import multinomial
from ..functional.shape import cat
from ..grad_mode import no_grad
from ..nn import functional as F


class _Sampler(nn.Module):
    """``generate``, shared by every model: a model supplies ``next_logits(idx)``, the (B, V)
    logits of the character after each row of ``idx``."""

    def generate(self, idx, max_new_tokens: int, temperature: float = 1.0, top_k=None,
                 generator=None):
        """Extend ``idx`` (B, T) by ``max_new_tokens`` characters sampled from
        softmax(logits / temperature), restricted to the ``top_k`` most likely if given."""
        if temperature <= 0:
            raise ValueError(f"generate: temperature must be positive; got {temperature}")
        if top_k is not None and not 1 <= top_k <= self.vocab_size:
            raise ValueError(f"generate: top_k must be in 1..{self.vocab_size}; got {top_k}")
        if idx.ndim != 2:
            raise ValueError(f"generate: idx must be (batch, time) indices; got shape "
                             f"{tuple(idx.shape)}")
        was_training = self.training
        self.eval()  # batch norm uses its running statistics, dropout is off
        with no_grad():
            for _ in range(max_new_tokens):
                logits = self.next_logits(idx) / temperature
                if top_k is not None:
                    # keep the k largest logits: everything below the k-th becomes -inf
                    kth = logits.topk(top_k, dim=-1)[0][:, -1:]
                    logits = logits.masked_fill(logits < kth, float("-inf"))
                probs = F.softmax(logits, dim=-1)
                idx = cat((idx, multinomial(probs, 1, generator=generator)), dim=1)
        self.train(was_training)
        return idx


class Bigram(_Sampler):
    """logits(next | previous) = W[previous]: one (V, V) table of logits, initialised to 0
    (the uniform distribution). Trained by cross-entropy it reaches the log-likelihood of the
    normalised counts, the maximum-likelihood bigram table."""

    def __init__(self, vocab_size: int):
        super().__init__()
        self.vocab_size, self.block_size = vocab_size, 1
        self.logits = nn.Parameter(zeros(vocab_size, vocab_size))

    def forward(self, idx):
        return self.logits[idx]  # any shape of indices -> that shape + (V,)

    def next_logits(self, idx):
        return self.logits[idx[:, -1]]


class MLP(_Sampler):
    """Bengio et al. (2003): x = concat(C[c_1], ..., C[c_block]) with an embedding table C,
    h = tanh(BN(x W1) or x W1 + b1), logits = h W2 + b2. With ``batch_norm`` the hidden
    layer has no bias (batch norm's shift replaces it), as in makemore part 3."""

    def __init__(self, vocab_size: int, block_size: int = 3, n_embd: int = 10,
                 n_hidden: int = 200, batch_norm: bool = False):
        super().__init__()
        self.vocab_size, self.block_size = vocab_size, block_size
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.hidden = nn.Linear(block_size * n_embd, n_hidden, bias=not batch_norm)
        self.norm = nn.BatchNorm1d(n_hidden) if batch_norm else nn.Identity()
        self.head = nn.Linear(n_hidden, vocab_size)
        with no_grad():
            self.head.weight.mul_(0.1)  # near-uniform first predictions: no "hockey stick"

    def forward(self, idx):
        emb = self.wte(idx)  # (B, block_size, n_embd)
        return self.head(F.tanh(self.norm(self.hidden(emb.reshape(emb.shape[0], -1)))))

    def next_logits(self, idx):
        context = idx[:, -self.block_size:]
        if context.shape[1] < self.block_size:  # a short start: pad with '.' (index 0) left
            context = F.pad(context, (self.block_size - context.shape[1], 0), value=0)
        return self(context)


class RecurrentLM(_Sampler):
    """logits_t = W h_t + b with h_t = cell(embedding(x_t), h_{t-1}); ``cell`` is "rnn"
    (tanh), "gru" or "lstm", with PyTorch's layers and their default init."""

    def __init__(self, vocab_size: int, cell: str = "gru", n_embd: int = 64,
                 hidden_size: int = 128, num_layers: int = 1, block_size: int = 16):
        super().__init__()
        if cell not in ("rnn", "gru", "lstm"):
            raise ValueError(f"cell must be 'rnn', 'gru' or 'lstm'; got {cell!r}")
        self.vocab_size, self.block_size, self.cell = vocab_size, block_size, cell
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.rnn = getattr(nn, cell.upper())(n_embd, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, idx):
        out, _ = self.rnn(self.wte(idx))  # (B, T, hidden_size)
        return self.head(out)

    def next_logits(self, idx):
        return self(idx[:, -self.block_size:])[:, -1, :]


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention where position t attends to positions <= t:
    softmax(Q K^T / sqrt(d_head) + causal mask) V, heads concatenated, then projected."""

    def __init__(self, n_embd: int, n_head: int):
        super().__init__()
        if n_embd % n_head:
            raise ValueError(f"n_embd={n_embd} is not divisible by n_head={n_head}")
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)  # queries, keys, values in one matmul
        self.c_proj = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        # (B, T, C) -> (B, heads, T, head size): every head attends on its own
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    """A pre-LN transformer block: x + attn(LN(x)), then x + MLP(LN(x)), MLP = 4x GELU."""

    def __init__(self, n_embd: int, n_head: int):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(approximate="tanh"),
                                 nn.Linear(4 * n_embd, n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(_Sampler):
    """A small GPT: h_0 = wte[x] + wpe[0..T-1], h_l = Block(h_{l-1}), logits = LN(h_L) wte^T.
    Weights are drawn from N(0, 0.02), the residual projections from N(0, 0.02/sqrt(2 L))
    and biases are 0 (GPT-2's init, as nanoGPT does). Defaults: 4 layers, 4 heads, 64
    channels, about 200K parameters for 27 characters and block_size 16."""

    def __init__(self, vocab_size: int, block_size: int = 16, n_layer: int = 4,
                 n_head: int = 4, n_embd: int = 64):
        super().__init__()
        self.vocab_size, self.block_size = vocab_size, block_size
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.blocks = nn.ModuleList([Block(n_embd, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # weight tying: one Parameter, two uses
        for name, parameter in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(parameter)
            elif parameter.ndim == 2:
                std = 0.02 / math.sqrt(2 * n_layer) if name.endswith("c_proj.weight") or \
                    name.endswith("mlp.2.weight") else 0.02
                nn.init.normal_(parameter, mean=0.0, std=std)

    def forward(self, idx):
        T = idx.shape[1]
        if T > self.block_size:
            raise ValueError(f"GPT: sequence length {T} exceeds block_size {self.block_size}")
        positions = self.wpe.weight[:T]  # (T, n_embd), broadcast over the batch
        x = self.wte(idx) + positions
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.ln_f(x))

    def next_logits(self, idx):
        return self(idx[:, -self.block_size:])[:, -1, :]


def decay_groups(model, weight_decay: float = 0.1) -> list[dict]:
    """AdamW parameter groups: matrices (weights, embeddings) decay, vectors (biases, norm
    gains) do not, as nanoGPT and GPT-2 do. Tied parameters appear once."""
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    return [{"params": decay, "weight_decay": weight_decay},
            {"params": no_decay, "weight_decay": 0.0}]


# name -> (class, the data form it reads, its options): the models ``minigrad train`` builds.
MODELS = {
    "bigram": (Bigram, "sequence", {}),
    "mlp": (MLP, "context", {"block_size": 3, "n_embd": 10, "n_hidden": 200, "batch_norm": True}),
    "rnn": (RecurrentLM, "sequence", {"cell": "rnn"}),
    "gru": (RecurrentLM, "sequence", {"cell": "gru"}),
    "lstm": (RecurrentLM, "sequence", {"cell": "lstm"}),
    "transformer": (GPT, "sequence", {}),
}


def build(name: str, vocab_size: int, block_size: int):
    """The language model called ``name`` for a vocabulary and a context length (the MLP's
    context is its own, 3 characters), freshly initialised from the global seed."""
    if name not in MODELS:
        raise ValueError(f"unknown language model {name!r}; choose from {', '.join(MODELS)}")
    cls, _, options = MODELS[name]
    if cls is Bigram:
        return cls(vocab_size)
    return cls(vocab_size, **{"block_size": block_size, **options})
