"""Step 3 of the language-model path: a recurrent network reads the whole name.

Instead of a fixed window, a hidden state carries everything seen so far:
h_t = cell(embedding(x_t), h_{t-1}), and every step predicts the next character from h_t.
Each item is a whole name, x = '.' + name and y = name + '.', padded; padded targets are
-1, which cross-entropy skips (ignore_index=-1). ``--cell rnn`` is the plain tanh RNN;
the GRU's gates let it learn faster and further.

    python examples/lm_rnn.py [--cell gru|rnn|lstm]     # 3,000 steps of batch 32
    python examples/lm_rnn.py --quick                    # 100 steps
"""
import argparse

import minigrad as mg
from minigrad.models.char import RecurrentLM
from minigrad.data import CharWords
from minigrad.nn import functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--cell", choices=["rnn", "gru", "lstm"], default="gru")
parser.add_argument("--quick", action="store_true")
args = parser.parse_args()

mg.manual_seed(42)
train, val = (CharWords("names", split=s, form="sequence") for s in ("train", "val"))
V = train.vocab_size
model = RecurrentLM(V, cell=args.cell, n_embd=64, hidden_size=128)
print(f"{args.cell.upper()}: {sum(p.numel() for p in model.parameters())} parameters")


def loss_on(x, y):
    """Cross-entropy per character: (B, T, V) logits flattened, padding skipped."""
    logits = model(x)
    return F.cross_entropy(logits.view(-1, V), y.view(-1), ignore_index=-1)


def evaluate(data):
    with mg.no_grad():
        return loss_on(mg.tensor(data.x), mg.tensor(data.y)).item()


steps = 100 if args.quick else 3000
optimizer = mg.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
generator = mg.Generator().manual_seed(0)
for step in range(1, steps + 1):
    index = mg.randint(0, len(train), (32,), generator=generator)
    x, y = train[index]
    loss = loss_on(x, y)
    optimizer.zero_grad()
    loss.backward()
    mg.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # recurrent gradients can explode
    optimizer.step()
    if step % (steps if args.quick else steps // 5) == 0:  # quick: only the end
        print(f"step {step:5d}  batch loss {loss.item():.4f}  validation {evaluate(val):.4f}")

start = mg.zeros((10, 1), dtype=mg.int64)
rows = model.generate(start, 20, generator=mg.Generator().manual_seed(2147483647))
print("samples:", " ".join(train.words_from(rows)))
