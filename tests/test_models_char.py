"""The character-level language models: outputs against their defining formulas (NumPy,
float64), causality, parameter counts from the architecture's arithmetic, weight tying,
sampling (seeded, greedy at top_k=1, the prefix kept) and every error."""
import numpy as np
import pytest

import minigrad as mg
from minigrad.models import char
from minigrad.nn import functional as F

V = 11


def make(name, block_size=8):
    mg.manual_seed(0)
    model = char.build(name, V, block_size)
    if name == "bigram":  # it starts uniform (zeros); give its rows something to tell apart
        with mg.no_grad():
            model.logits.array[...] = np.random.default_rng(0).standard_normal((V, V))
    return model


def test_bigram_logits_are_rows_of_the_table():
    model = make("bigram")
    assert not char.Bigram(V).logits.array.any()  # uniform at the start
    idx = np.array([[1, 4, 0], [10, 10, 2]])
    np.testing.assert_array_equal(model(mg.tensor(idx)).array, model.logits.array[idx])


def test_mlp_is_bengios_formula():
    mg.manual_seed(0)
    model = char.MLP(V, block_size=3, n_embd=4, n_hidden=6, batch_norm=False)
    idx = np.array([[0, 0, 3], [5, 2, 7]])
    C, W1, b1 = (p.array.astype(np.float64) for p in (model.wte.weight, model.hidden.weight,
                                                        model.hidden.bias))
    W2, b2 = model.head.weight.array.astype(np.float64), model.head.bias.array.astype(np.float64)
    hidden = np.tanh(C[idx].reshape(2, -1) @ W1.T + b1)
    np.testing.assert_allclose(model(mg.tensor(idx)).array, hidden @ W2.T + b2, rtol=1e-5,
                               atol=1e-6)
    assert model.hidden.bias is not None
    assert char.MLP(V, batch_norm=True).hidden.bias is None  # batch norm's shift replaces it


def gpt_parameter_count(vocab, block, layers, channels):
    """wte + wpe + per block (2 LayerNorms, qkv, projection, 4x MLP) + final LayerNorm."""
    c = channels
    per_block = 2 * 2 * c + (c * 3 * c + 3 * c) + (c * c + c) + (c * 4 * c + 4 * c) + (4 * c * c + c)
    return vocab * c + block * c + layers * per_block + 2 * c  # lm_head is wte: not counted


def test_gpt_has_the_architectures_parameter_count_and_ties_its_head():
    model = char.GPT(27, block_size=16)  # the names configuration: 4 layers, 4 heads, 64
    assert sum(p.numel() for p in model.parameters()) == gpt_parameter_count(27, 16, 4, 64)
    assert 190_000 < gpt_parameter_count(27, 16, 4, 64) < 210_000
    assert model.lm_head.weight is model.wte.weight
    names = [name for name, _ in model.named_parameters()]
    assert "wte.weight" in names and "lm_head.weight" not in names  # listed once


def test_the_tied_weight_gets_the_gradient_of_both_uses():
    model = make("transformer")
    idx = mg.tensor(np.array([[1, 2, 3, 4]]))
    model(idx).sum().backward()
    both = model.wte.weight.grad.array.copy()
    # Only the embedding use: the head's contribution is d(sum logits)/dW = sum of features.
    model.zero_grad()
    features = model.ln_f(model.blocks[-1](model.blocks[-2](model.blocks[-3](model.blocks[0](
        model.wte(idx) + model.wpe.weight[:4])))))
    head_part = np.broadcast_to(features.array.reshape(-1, 64).sum(0), (V, 64))
    assert np.abs(both - head_part).max() > 1e-6  # the lookup's rows add to the head's part
    np.testing.assert_allclose(np.delete(both, [1, 2, 3, 4], axis=0),
                               np.delete(head_part, [1, 2, 3, 4], axis=0), rtol=1e-4,
                               atol=1e-6)  # unused rows: the head's part alone


@pytest.mark.parametrize("name", ["bigram", "rnn", "gru", "lstm", "transformer"])
def test_sequence_models_are_causal(name):
    model = make(name)
    model.eval()
    rng = np.random.default_rng(1)
    idx = rng.integers(0, V, (2, 8))
    changed = idx.copy()
    changed[:, 5:] = (changed[:, 5:] + 1) % V  # change the future of position 4
    with mg.no_grad():
        a, b = model(mg.tensor(idx)).array, model(mg.tensor(changed)).array
    assert a.shape == (2, 8, V)
    np.testing.assert_allclose(a[:, :5], b[:, :5], rtol=1e-5, atol=1e-6)
    assert not np.allclose(a[:, 5:], b[:, 5:])


@pytest.mark.parametrize("name", list(char.MODELS))
def test_generate_keeps_the_prefix_and_repeats_with_a_seed(name):
    model = make(name)
    start = mg.tensor(np.array([[0, 3], [0, 5]]))
    a = model.generate(start, 6, generator=mg.Generator().manual_seed(3))
    b = model.generate(start, 6, generator=mg.Generator().manual_seed(3))
    assert a.shape == (2, 8) and a.dtype == np.int64
    np.testing.assert_array_equal(a.array[:, :2], start.array)
    np.testing.assert_array_equal(a.array, b.array)
    assert a.array.min() >= 0 and a.array.max() < V
    assert model.training  # generate restores the mode it found


@pytest.mark.parametrize("name", ["mlp", "gru", "transformer"])
def test_top_k_one_is_greedy_decoding(name):
    model = make(name)
    model.eval()
    idx = np.array([[0]])
    with mg.no_grad():
        for _ in range(5):  # greedy by hand: the argmax of the last position each time
            context = idx[:, -model.block_size:]
            if name == "mlp":
                context = np.pad(context, ((0, 0), (model.block_size - context.shape[1], 0)))
                logits = model(mg.tensor(context)).array
            else:
                logits = model(mg.tensor(context)).array[:, -1]
            idx = np.concatenate([idx, logits.argmax(-1)[:, None]], axis=1)
    model.train()
    sampled = model.generate(mg.tensor(np.array([[0]])), 5, temperature=0.7, top_k=1,
                             generator=mg.Generator().manual_seed(0))
    np.testing.assert_array_equal(sampled.array, idx)


def test_low_temperature_concentrates_and_top_k_restricts():
    model = make("bigram")
    with mg.no_grad():
        model.logits.array[...] = np.arange(V, dtype=np.float32)  # every row prefers V - 1
    draws = model.generate(mg.zeros((400, 1), dtype=mg.int64), 1, top_k=2,
                           generator=mg.Generator().manual_seed(0)).array[:, 1]
    assert set(draws.tolist()) == {V - 2, V - 1}
    # P(V-1) = e / (1 + e) = 0.731 within the top two; 400 draws: within 5 sigma
    assert abs((draws == V - 1).mean() - np.e / (1 + np.e)) < 5 * np.sqrt(0.2 / 400)
    cold = model.generate(mg.zeros((50, 1), dtype=mg.int64), 1, temperature=0.05,
                          generator=mg.Generator().manual_seed(0)).array[:, 1]
    assert (cold == V - 1).all()


def test_decay_groups_split_matrices_from_vectors():
    model = make("transformer")
    decay, no_decay = char.decay_groups(model, weight_decay=0.3)
    assert decay["weight_decay"] == 0.3 and no_decay["weight_decay"] == 0.0
    assert all(p.ndim == 2 for p in decay["params"]) and all(p.ndim == 1 for p in no_decay["params"])
    assert len(decay["params"]) + len(no_decay["params"]) == len(list(model.parameters()))
    mg.optim.AdamW([decay, no_decay], lr=1e-3)  # valid parameter groups


def test_mlp_pads_a_short_context_with_the_start_token():
    model = make("mlp")
    model.eval()
    with mg.no_grad():
        short = model.next_logits(mg.tensor(np.array([[4]]))).array
        padded = model(mg.tensor(np.array([[0, 0, 4]]))).array
    np.testing.assert_array_equal(short, padded)


@pytest.mark.parametrize("call, message", [
    (lambda: char.build("wavenet", V, 8), "unknown language model 'wavenet'; choose from"),
    (lambda: char.RecurrentLM(V, cell="tanh"), "cell must be 'rnn', 'gru' or 'lstm'; got 'tanh'"),
    (lambda: char.GPT(V, n_embd=30, n_head=4), "n_embd=30 is not divisible by n_head=4"),
    (lambda: char.GPT(V, block_size=4)(mg.zeros((1, 5), dtype=mg.int64)),
     "sequence length 5 exceeds block_size 4"),
    (lambda: make("gru").generate(mg.zeros((1, 1), dtype=mg.int64), 2, temperature=0),
     "temperature must be positive; got 0"),
    (lambda: make("gru").generate(mg.zeros((1, 1), dtype=mg.int64), 2, top_k=V + 1),
     f"top_k must be in 1..{V}; got {V + 1}"),
    (lambda: make("gru").generate(mg.zeros(3, dtype=mg.int64), 2),
     r"idx must be \(batch, time\) indices; got shape \(3,\)")],
    ids=["name", "cell", "heads", "too-long", "temperature", "top-k", "idx"])
def test_errors_name_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_cross_entropy_of_a_trained_step_goes_down():
    model = make("transformer")
    optimizer = mg.optim.AdamW(char.decay_groups(model), lr=1e-2)
    idx = mg.tensor(np.random.default_rng(0).integers(0, V, (4, 8)))
    losses = []
    for _ in range(15):
        loss = F.cross_entropy(model(idx[:, :-1]).reshape(-1, V), idx[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[0] > 2.0 and losses[-1] < 0.7 * losses[0]  # memorising 4 sequences
