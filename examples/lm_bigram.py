"""Step 1 of the language-model path: the bigram model, twice.

First by counting: P(next | previous) = (count(previous, next) + 1) / (count(previous) + V),
the maximum-likelihood table with add-one smoothing. Then by gradient descent on a (V, V)
table of logits with cross-entropy: it must arrive at (almost) the same negative
log-likelihood, since softmax(logits) can express any table. Both then sample names.

    python examples/lm_bigram.py            # 200 full-batch steps
    python examples/lm_bigram.py --quick    # 40 steps
"""
import sys

import numpy as np

import minigrad as mg
from minigrad.models.char import Bigram
from minigrad.data import CharWords
from minigrad.nn import functional as F

quick = "--quick" in sys.argv
train, test = (CharWords("names", split=s, block_size=1) for s in ("train", "test"))
V = train.vocab_size
previous, following = train.x[:, 0], train.y  # every (previous, next) pair of the training words

# 1. Counting. N[a, b] = how often b follows a; each row normalised is a distribution.
N = np.zeros((V, V), dtype=np.int64)
np.add.at(N, (previous, following), 1)
P = (N + 1) / (N + 1).sum(1, keepdims=True)


def nll(table, data):
    """Average negative log-likelihood of the data's pairs under a probability table."""
    return -np.log(table[data.x[:, 0], data.y]).mean()


print(f"counts:   train nll {nll(P, train):.4f}  test nll {nll(P, test):.4f}")

# 2. The same model as a network: logits = W[previous], trained by cross-entropy on all pairs.
mg.manual_seed(0)
model = Bigram(V)
optimizer = mg.optim.SGD(model.parameters(), lr=50.0)  # full batch: a large step is stable
x, y = mg.tensor(previous), mg.tensor(following)
steps = 40 if quick else 200
for step in range(steps + 1):
    loss = F.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % (steps // 4) == 0:
        print(f"step {step:4d}  train loss {loss.item():.4f}")
with mg.no_grad():
    learned = F.softmax(model.logits, dim=1).numpy().astype(np.float64)
    test_loss = F.cross_entropy(model(mg.tensor(test.x[:, 0])), mg.tensor(test.y)).item()
print(f"gradient descent: train nll {nll(learned, train):.4f}  test nll {test_loss:.4f}")
print(f"difference from the counts on the test set: {abs(test_loss - nll(P, test)):.4f}")

# 3. Sampling: start from '.', draw the next character from the row of the last one, stop
#    at '.'. The generator fixes the draws, so both tables see the same random numbers.
counts_rows = mg.tensor(P.astype(np.float32))
generator = mg.Generator().manual_seed(2147483647)
names = []
for _ in range(5):
    index, name = 0, ""
    while True:
        index = mg.multinomial(counts_rows[index], 1, replacement=True,
                               generator=generator).item()
        if index == 0:
            break
        name += train.itos[index]
    names.append(name)
print("sampled from the counts:", " ".join(names))
start = mg.zeros((5, 1), dtype=mg.int64)
rows = model.generate(start, 20, generator=mg.Generator().manual_seed(2147483647))
print("sampled from the trained table:", " ".join(train.words_from(rows)))
