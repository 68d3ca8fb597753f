"""Sampling (minigrad.functional.sampling) and Generator (minigrad.random): the draws follow
their distributions' formulas, and a seeded Generator gives the same draws whatever the
global seed."""
import numpy as np
import pytest

import minigrad as mg
import minigrad.nn as nn

WEIGHTS = np.array([[1.0, 3.0, 0.0, 4.0], [2.0, 0.0, 2.0, 0.0]])  # unnormalised, with zeros


def test_multinomial_with_replacement_matches_the_probabilities():
    draws = mg.multinomial(mg.tensor(WEIGHTS), 40000, replacement=True,
                           generator=mg.Generator().manual_seed(1))
    assert draws.shape == (2, 40000) and draws.dtype == np.int64
    for row, weights in zip(draws.array, WEIGHTS):
        frequencies = np.bincount(row, minlength=4) / row.size
        # 4 standard errors of a frequency: sqrt(p (1 - p) / n) <= 0.0025
        np.testing.assert_allclose(frequencies, weights / weights.sum(), atol=0.01)


def test_multinomial_without_replacement_follows_sequential_draws():
    p = np.array([0.5, 0.3, 0.2])
    draws = mg.tensor(p).repeat(20000, 1).multinomial(2, generator=mg.Generator().manual_seed(2))
    first, second = draws.array[:, 0], draws.array[:, 1]
    assert (first != second).all()
    # P(first = i) = p_i;  P(second = j) = sum_{i != j} p_i p_j / (1 - p_i)
    second_p = np.array([sum(p[i] * p[j] / (1 - p[i]) for i in range(3) if i != j)
                         for j in range(3)])
    np.testing.assert_allclose(np.bincount(first, minlength=3) / len(first), p, atol=0.015)
    np.testing.assert_allclose(np.bincount(second, minlength=3) / len(second), second_p,
                               atol=0.015)


def test_multinomial_without_replacement_takes_zero_weights_last():
    draws = mg.multinomial(mg.tensor(WEIGHTS), 4)
    assert sorted(draws.array[0, :3].tolist()) == [0, 1, 3] and draws.array[0, 3] == 2
    assert sorted(draws.array[1, :2].tolist()) == [0, 2]
    assert mg.multinomial(mg.tensor([0.0, 1.0]), 1).tolist() == [1]


def test_multinomial_never_draws_a_zero_weight_with_replacement():
    draws = mg.multinomial(mg.tensor([0.0, 1.0, 0.0, 1e-3]), 5000, True)
    assert set(draws.tolist()) <= {1, 3}


MULTINOMIAL_ERRORS = [
    (np.array([0.5, -0.1]), 1, False, "element < 0"),
    (np.array([1.0, np.nan]), 1, False, "`nan`"),
    (np.array([[1.0, 1.0], [0.0, 0.0]]), 1, True, "sum of probabilities <= 0) in row 1"),
    (np.array([1.0, 1.0]), 3, False, "without replacement (3 > 2)"),
    (np.array([1.0, 1.0]), 0, True, "n_sample <= 0"),
    (np.ones((1, 1, 2)), 1, True, "1 or 2 dim"),
    (np.array([1, 2]), 1, True, "floating-point"),
]


@pytest.mark.parametrize("probs,n,replacement,fragment", MULTINOMIAL_ERRORS,
                         ids=[e[3] for e in MULTINOMIAL_ERRORS])
def test_multinomial_errors_name_the_problem(probs, n, replacement, fragment):
    with pytest.raises(RuntimeError) as caught:
        mg.multinomial(mg.tensor(probs), n, replacement)
    assert fragment in str(caught.value)


def test_bernoulli_frequency_and_dtype():
    p = mg.tensor([0.0, 0.25, 1.0]).repeat(20000, 1)
    draws = mg.bernoulli(p, generator=mg.Generator().manual_seed(3))
    assert draws.dtype == np.float32
    np.testing.assert_allclose(draws.array.mean(0), [0.0, 0.25, 1.0], atol=0.01)
    filled = mg.zeros(20000).bernoulli_(0.75)
    assert abs(filled.array.mean() - 0.75) < 0.01
    with pytest.raises(RuntimeError, match=r"\[0, 1\]"):
        mg.bernoulli(mg.tensor([1.5]))


def test_normal_and_in_place_fills_have_their_moments():
    x = mg.normal(2.0, 3.0, size=(50000,))
    assert abs(x.array.mean() - 2.0) < 0.05 and abs(x.array.std() - 3.0) < 0.05
    u = mg.empty(50000).uniform_(-1.0, 3.0)
    assert u.array.min() >= -1.0 and u.array.max() < 3.0 and abs(u.array.mean() - 1.0) < 0.03
    n = mg.empty(50000).normal_(mean=-1.0, std=0.5)
    assert abs(n.array.mean() + 1.0) < 0.01 and abs(n.array.std() - 0.5) < 0.01
    per_element = mg.normal(mg.tensor([0.0, 100.0]), mg.tensor([1e-6, 1e-6]))
    np.testing.assert_allclose(per_element.array, [0.0, 100.0], atol=1e-3)
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        mg.normal(mg.tensor([0.0]), mg.tensor([-1.0]))
    with pytest.raises(TypeError, match="needs a size"):
        mg.normal(0.0, 1.0)


DRAWS = [
    ("randn", lambda g: mg.randn(2, 3, generator=g)),
    ("rand", lambda g: mg.rand((4,), generator=g)),
    ("randint", lambda g: mg.randint(0, 10, (5,), generator=g)),
    ("randint_high_size", lambda g: mg.randint(10, (5,), generator=g)),
    ("randperm", lambda g: mg.randperm(6, generator=g)),
    ("randn_like", lambda g: mg.randn_like(mg.zeros(3), generator=g)),
    ("rand_like", lambda g: mg.rand_like(mg.zeros(3), generator=g)),
    ("randint_like", lambda g: mg.randint_like(mg.zeros(3), 0, 5, generator=g)),
    ("multinomial", lambda g: mg.multinomial(mg.tensor(WEIGHTS), 3, True, generator=g)),
    ("bernoulli", lambda g: mg.bernoulli(mg.full((5,), 0.5), generator=g)),
    ("normal", lambda g: mg.normal(0.0, 1.0, (3,), generator=g)),
    ("normal_", lambda g: mg.zeros(3).normal_(generator=g)),
    ("uniform_", lambda g: mg.zeros(3).uniform_(generator=g)),
    ("bernoulli_", lambda g: mg.zeros(5).bernoulli_(0.5, generator=g)),
    ("init.uniform_", lambda g: nn.init.uniform_(mg.zeros(3), generator=g)),
    ("init.kaiming_uniform_", lambda g: nn.init.kaiming_uniform_(mg.zeros(2, 3), generator=g)),
    ("init.xavier_normal_", lambda g: nn.init.xavier_normal_(mg.zeros(2, 3), generator=g)),
]


@pytest.mark.parametrize("name,draw", DRAWS, ids=[d[0] for d in DRAWS])
def test_a_seeded_generator_is_reproducible_and_leaves_the_global_stream(name, draw):
    mg.manual_seed(0)
    first = draw(mg.Generator().manual_seed(42)).array.copy()
    after_first = mg.rand(3).array
    mg.manual_seed(123)
    second = draw(mg.Generator().manual_seed(42)).array
    np.testing.assert_array_equal(first, second)
    mg.manual_seed(0)
    np.testing.assert_array_equal(mg.rand(3).array, after_first)  # global stream untouched
    generator = mg.Generator().manual_seed(42)
    draw(generator)
    if name not in ("randperm",):  # later draws continue the generator's stream
        assert not np.array_equal(draw(generator).array, first) or first.size == 0


def test_generator_state_round_trip_and_seed():
    generator = mg.Generator().manual_seed(7)
    assert generator.initial_seed() == 7
    state = generator.get_state()
    a = mg.randn(4, generator=generator).array
    generator.set_state(state)
    np.testing.assert_array_equal(mg.randn(4, generator=generator).array, a)
    assert isinstance(generator.seed(), int)
    with pytest.raises(TypeError, match="integer seed"):
        generator.manual_seed(1.5)
    with pytest.raises(TypeError, match="minigrad.Generator"):
        mg.randn(2, generator="seed")

