"""The ops a sequence model needs: forward against NumPy formulas, gradcheck, gradgradcheck.

One row per op, as in test_ops.py: how to build the inputs, what minigrad computes, and what
NumPy computes for the same numbers (float64 throughout). Integer inputs (indices, masks)
are fixed inside the row's functions, so only the float inputs are checked.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import minigrad as mg
import minigrad.nn.functional as F
from conftest import leaf

rng = np.random.default_rng(2024)


def normal(*shape):
    return rng.standard_normal(shape)


def distinct(*shape):
    # Well-separated values: sorting and topk have no ties, so their gradients are smooth.
    values = rng.permutation(np.prod(shape, dtype=int)).reshape(shape).astype(float)
    return (values - values.size / 2 + 0.5) * 0.3


INDEX = np.array([[0, 2, 2], [1, 0, 2]])  # repeated indices: gradients must accumulate
TOKENS = np.array([[1, 3, 1, 0], [4, 4, 2, 1]])
MASK = np.array([[True, False, True, False], [False, False, True, True], [True] * 4])


def scatter_add_ref(x, dim, index, src):
    out = x.copy()
    for position in np.ndindex(*index.shape):
        target = list(position)
        target[dim] = index[position]
        out[tuple(target)] += src[position]
    return out


def scatter_by_frequency_ref(g, tokens, rows, padding_idx):
    out = np.zeros((rows,) + g.shape[tokens.ndim:])
    for position in np.ndindex(*tokens.shape):
        out[tokens[position]] += g[position] / np.sum(tokens == tokens[position])
    out[padding_idx] = 0.0
    return out


def cumprod_grad_sum_ref(x):
    # d/dx_i sum_k prod_{j<=k} x_j = sum_{k>=i} prod_{j<=k, j!=i} x_j, term by term
    n = len(x)
    return np.array([sum(np.prod([x[j] for j in range(k + 1) if j != i])
                         for k in range(i, n)) for i in range(n)])


# (name, input arrays, minigrad function, NumPy reference)
CASES = [
    ("embedding", [normal(5, 3)], lambda w: F.embedding(mg.tensor(TOKENS), w),
     lambda w: w[TOKENS]),
    ("embedding_padding_not_used", [normal(6, 3)],
     lambda w: F.embedding(mg.tensor(TOKENS), w, padding_idx=5), lambda w: w[TOKENS]),
    # The backward of embedding with scale_grad_by_freq (PyTorch's deliberately scaled
    # gradient, so not gradcheckable through the lookup): checked as a linear map itself.
    ("embedding_scatter_by_frequency", [normal(2, 4, 3)],
     lambda g: mg.ops.EmbeddingScatter.apply(g, mg.tensor(TOKENS), num_embeddings=5,
                                             padding_idx=2, scale_grad_by_freq=True),
     lambda g: scatter_by_frequency_ref(g, TOKENS, 5, 2)),
    ("embedding_3d_table", [normal(5, 2, 2)], lambda w: F.embedding(mg.tensor([3, 3, 0]), w),
     lambda w: w[[3, 3, 0]]),
    ("gather", [normal(3, 4)], lambda x: x.gather(1, mg.tensor(INDEX.T)),
     lambda x: np.take_along_axis(x, INDEX.T, 1)),
    ("scatter_add_self_src", [normal(3, 3), normal(2, 3)],
     lambda x, s: x.scatter_add(0, mg.tensor(INDEX), s),
     lambda x, s: scatter_add_ref(x, 0, INDEX, s)),
    ("scatter_add_larger_src", [normal(2, 4), normal(3, 5)],
     lambda x, s: mg.scatter_add(x, 1, mg.tensor(INDEX + 1), s),
     lambda x, s: scatter_add_ref(x, 1, INDEX + 1, s)),
    ("scatter", [normal(3, 3), normal(2, 3)],
     lambda x, s: x.scatter(0, mg.tensor([[0, 2, 1], [1, 0, 2]]), s),
     lambda x, s: np.array([[s[0, 0], s[1, 1], x[0, 2]], [s[1, 0], x[1, 1], s[0, 2]],
                            [x[2, 0], s[0, 1], s[1, 2]]])),
    ("index_select", [normal(4, 3)], lambda x: x.index_select(0, mg.tensor([3, 0, 3])),
     lambda x: x[[3, 0, 3]]),
    ("index_select_dim1", [normal(2, 4)], lambda x: mg.index_select(x, -1, mg.tensor([1])),
     lambda x: x[:, [1]]),
    ("cumsum", [normal(3, 4)], lambda x: x.cumsum(1), lambda x: np.cumsum(x, 1)),
    ("cumsum_dim0", [normal(3, 2)], lambda x: mg.cumsum(x, dim=-2), lambda x: np.cumsum(x, 0)),
    ("cumprod", [normal(2, 4)], lambda x: x.cumprod(1), lambda x: np.cumprod(x, 1)),
    ("cumprod_with_zero", [np.array([[1.5, 0.0, -2.0, 0.7], [0.3, 1.2, 0.0, 0.0]])],
     lambda x: x.cumprod(-1), lambda x: np.cumprod(x, -1)),
    ("cumprod_dim0_zero", [np.array([[0.5, 2.0], [0.0, 1.5], [3.0, -1.0]])],
     lambda x: x.cumprod(0), lambda x: np.cumprod(x, 0)),
    ("tril", [normal(3, 4)], lambda x: x.tril(), lambda x: np.tril(x)),
    ("tril_diagonal_batched", [normal(2, 3, 3)], lambda x: mg.tril(x, -1),
     lambda x: np.tril(x, -1)),
    ("triu", [normal(4, 3)], lambda x: x.triu(1), lambda x: np.triu(x, 1)),
    ("triu_negative", [normal(3, 3)], lambda x: mg.triu(x, diagonal=-1), lambda x: np.triu(x, -1)),
    ("masked_fill", [normal(3, 4)], lambda x: x.masked_fill(mg.tensor(MASK), -1.5),
     lambda x: np.where(MASK, -1.5, x)),
    ("masked_fill_broadcast_mask", [normal(2, 3, 4)],
     lambda x: x.masked_fill(mg.tensor(MASK[0]), 0.0), lambda x: np.where(MASK[0], 0.0, x)),
    ("masked_fill_tensor_value", [normal(3, 4), normal()],
     lambda x, v: x.masked_fill(mg.tensor(MASK), v), lambda x, v: np.where(MASK, v, x)),
    ("chunk", [normal(5, 2)], lambda x: x.chunk(2)[1] * 2.0, lambda x: x[3:] * 2.0),
    ("split_sizes", [normal(2, 6)], lambda x: mg.cat(list(x.split([1, 3, 2], 1))[::-1], 1),
     lambda x: np.concatenate([x[:, 4:], x[:, 1:4], x[:, :1]], 1)),
    ("split_int", [normal(5)], lambda x: x.split(2)[-1], lambda x: x[4:]),
    ("repeat", [normal(2, 3)], lambda x: x.repeat(2, 1, 3), lambda x: np.tile(x, (2, 1, 3))),
    ("repeat_same_ndim", [normal(3)], lambda x: x.repeat(2), lambda x: np.tile(x, 2)),
    ("contiguous", [normal(2, 3)], lambda x: x.t().contiguous(), lambda x: x.T),
    ("sort", [distinct(3, 4)], lambda x: x.sort().values, lambda x: np.sort(x, -1)),
    ("sort_descending_dim0", [distinct(3, 4)], lambda x: mg.sort(x, 0, descending=True)[0],
     lambda x: -np.sort(-x, 0)),
    ("topk", [distinct(3, 5)], lambda x: x.topk(2).values, lambda x: -np.sort(-x, -1)[:, :2]),
    ("topk_smallest_dim0", [distinct(4, 2)], lambda x: mg.topk(x, 3, dim=0, largest=False)[0],
     lambda x: np.sort(x, 0)[:3]),
    ("einsum_batched_matmul", [normal(2, 3, 4), normal(2, 4, 5)],
     lambda a, b: mg.einsum("bij,bjk->bik", a, b), np.matmul),
    ("einsum_attention", [normal(2, 2, 3, 4), normal(2, 2, 5, 4)],
     lambda q, k: mg.einsum("bhqd,bhkd->bhqk", q, k), lambda q, k: q @ np.swapaxes(k, -1, -2)),
    ("einsum_outer", [normal(3), normal(4)], lambda a, b: mg.einsum("i,j->ij", a, b), np.outer),
    ("einsum_transpose", [normal(2, 3)], lambda a: mg.einsum("ij->ji", a), np.transpose),
    ("einsum_sum", [normal(2, 3, 4)], lambda a: mg.einsum("bij->b", a), lambda a: a.sum((1, 2))),
    ("einsum_trace", [normal(3, 3)], lambda a: mg.einsum("ii", a), np.trace),
    ("einsum_implicit_matmul", [normal(2, 3), normal(3, 4)],
     lambda a, b: mg.einsum("ij,jk", a, b), np.matmul),
    ("einsum_ellipsis", [normal(2, 3, 4), normal(4, 5)],
     lambda a, b: mg.einsum("...j,jk->...k", a, b), np.matmul),
    ("einsum_three_operands", [normal(2, 3), normal(3, 4), normal(4)],
     lambda a, b, c: mg.einsum("ij,jk,k->i", [a, b, c]), lambda a, b, c: a @ b @ c),
    ("einsum_broadcast_batch", [normal(1, 3, 4), normal(2, 4, 2)],
     lambda a, b: mg.einsum("bij,bjk->bik", a, b), np.matmul),
    ("cross_entropy_sequence", [normal(2, 5, 3)],
     lambda z: F.cross_entropy(z, mg.tensor([[0, 4, 1], [2, -100, 4]])),
     lambda z: cross_entropy_ref(np.moveaxis(z, 1, -1).reshape(-1, 5),
                                 np.array([0, 4, 1, 2, -100, 4]))),
]


def log_softmax_ref(z, axis=-1):
    shifted = z - z.max(axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis, keepdims=True))


def cross_entropy_ref(z, target, ignore_index=-100):
    keep = target != ignore_index
    picked = log_softmax_ref(z)[np.arange(len(z)), np.where(keep, target, 0)]
    return -(picked * keep).sum() / keep.sum()


@pytest.mark.parametrize("name,arrays,fn,reference", CASES, ids=[c[0] for c in CASES])
def test_forward_matches_numpy(name, arrays, fn, reference):
    out = fn(*[leaf(a) for a in arrays])
    np.testing.assert_allclose(out.array, reference(*arrays), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name,arrays,fn,reference", CASES, ids=[c[0] for c in CASES])
def test_gradcheck(name, arrays, fn, reference):
    assert mg.gradcheck(fn, [leaf(a) for a in arrays])


@pytest.mark.parametrize("name,arrays,fn,reference", CASES, ids=[c[0] for c in CASES])
def test_gradgradcheck(name, arrays, fn, reference):
    assert mg.gradgradcheck(fn, [leaf(a) for a in arrays])


@st.composite
def einsum_problems(draw):
    """Two operands over letters of random sizes, and an output of some of their letters."""
    sizes = {c: draw(st.integers(1, 3)) for c in "abcde"}
    first = draw(st.lists(st.sampled_from("abcde"), min_size=0, max_size=3, unique=True))
    second = draw(st.lists(st.sampled_from("abcde"), min_size=1, max_size=3, unique=True))
    used = sorted(set(first) | set(second))
    output = draw(st.permutations(used).map(lambda p: p[:draw(st.integers(0, len(p)))]))
    equation = f"{''.join(first)},{''.join(second)}->{''.join(output)}"
    return equation, [normal(*[sizes[c] for c in term]) for term in (first, second)]


@settings(max_examples=40, deadline=None)
@given(problem=einsum_problems())
def test_einsum_matches_numpy_on_random_equations(problem):
    equation, arrays = problem
    tensors = [leaf(a) for a in arrays]
    out = mg.einsum(equation, *tensors)
    np.testing.assert_allclose(out.array, np.einsum(equation, *arrays), rtol=1e-10, atol=1e-12)
    out.sum().backward()
    # d sum(out) / d a[first] = sum of b over every letter but a's: an einsum of b with
    # ones over the output's letters and over a's own
    terms, output = equation.split("->")[0].split(","), equation.split("->")[1]
    expected = np.einsum(f"{terms[1]},{output},{terms[0]}->{terms[0]}", arrays[1],
                         np.ones(out.shape), np.ones(arrays[0].shape))
    np.testing.assert_allclose(tensors[0].grad.array, expected, rtol=1e-10, atol=1e-12)


def test_cumprod_gradient_with_zeros_matches_the_product_rule():
    for x in ([2.0, 0.0, 3.0, 0.5], [0.0, 0.0, 1.5], [1.2, -0.4, 0.0]):
        t = leaf(x)
        t.cumprod(0).sum().backward()
        np.testing.assert_allclose(t.grad.array, cumprod_grad_sum_ref(x), rtol=1e-12)


def test_embedding_gradient_is_a_row_scatter_add_and_zero_at_padding():
    weight = leaf(normal(5, 3))
    upstream = normal(2, 4, 3)
    F.embedding(mg.tensor(TOKENS), weight, padding_idx=1).backward(mg.tensor(upstream))
    expected = np.zeros((5, 3))
    for position in np.ndindex(*TOKENS.shape):
        expected[TOKENS[position]] += upstream[position]
    expected[1] = 0.0
    np.testing.assert_allclose(weight.grad.array, expected, rtol=1e-12)


def test_embedding_scale_grad_by_freq_divides_by_the_uses_in_the_batch():
    weight = leaf(normal(5, 2))
    tokens = mg.tensor([[1, 3, 1], [1, 0, 3]])
    F.embedding(tokens, weight, scale_grad_by_freq=True).sum().backward()
    # each used row's gradient is (uses * 1) / uses = 1
    np.testing.assert_array_equal(weight.grad.array[:, 0], [1.0, 1.0, 0.0, 1.0, 0.0])


def test_embedding_negative_padding_idx_counts_from_the_end():
    weight = leaf(normal(5, 2))
    F.embedding(mg.tensor([4, 0]), weight, padding_idx=-1).sum().backward()
    np.testing.assert_array_equal(weight.grad.array[4], [0.0, 0.0])
    np.testing.assert_array_equal(weight.grad.array[0], [1.0, 1.0])


def test_embedding_max_norm_renormalises_the_rows_used_in_place():
    table = np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    weight = mg.tensor(table)
    out = F.embedding(mg.tensor([0, 1]), weight, max_norm=1.0)
    np.testing.assert_allclose(out.array, [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    np.testing.assert_array_equal(weight.array[2], [6.0, 8.0])  # not looked up: unchanged


def test_one_hot_matches_the_definition():
    labels = np.array([[0, 3], [2, 2]])
    out = F.one_hot(mg.tensor(labels), num_classes=5)
    assert out.dtype == np.int64 and out.shape == (2, 2, 5)
    np.testing.assert_array_equal(out.array, (labels[..., None] == np.arange(5)).astype(int))
    assert F.one_hot(mg.tensor([1, 4])).shape == (2, 5)  # inferred: the largest + 1


def test_sort_and_topk_indices_and_named_fields():
    x = np.array([[3.0, 1.0, 2.0, 1.0], [0.5, -1.0, 4.0, 4.0]])
    result = mg.tensor(x).sort(stable=True)
    np.testing.assert_array_equal(result.indices.array, np.argsort(x, -1, kind="stable"))
    descending = mg.tensor(x).sort(descending=True, stable=True)
    np.testing.assert_array_equal(descending.indices.array, [[0, 2, 1, 3], [2, 3, 0, 1]])
    values, indices = mg.tensor(x).topk(2)
    np.testing.assert_array_equal(indices.array, [[0, 2], [2, 3]])
    np.testing.assert_array_equal(values.array, [[3.0, 2.0], [4.0, 4.0]])
    assert indices.dtype == np.int64
    np.testing.assert_array_equal(mg.argsort(mg.tensor(x), dim=0).array,
                                  np.argsort(x, 0, kind="stable"))


def test_topk_gradient_reaches_only_the_chosen_positions():
    x = leaf([[0.1, 0.9, 0.5], [2.0, -1.0, 3.0]])
    x.topk(1).values.sum().backward()
    np.testing.assert_array_equal(x.grad.array, [[0, 1, 0], [0, 0, 1]])


def test_sort_puts_nan_last_ascending_and_first_descending():
    x = mg.tensor([1.0, np.nan, -2.0])
    assert x.sort().indices.tolist() == [2, 0, 1]
    assert x.sort(descending=True).indices.tolist() == [1, 0, 2]


def test_cumsum_of_integers_and_bools_is_int64():
    assert mg.tensor([1, 2, 3], dtype=mg.int32).cumsum(0).dtype == np.int64
    assert mg.tensor([True, True, False]).cumsum(0).tolist() == [1, 2, 2]
    assert mg.tensor([1, 2], dtype=mg.int64).cumsum(0, dtype=mg.float64).dtype == np.float64
    assert mg.cumsum(mg.tensor(2.0), 0).shape == ()


def test_tril_and_masked_fill_keep_integer_dtypes():
    ints = mg.arange(9).reshape(3, 3)
    np.testing.assert_array_equal(ints.tril().array, np.tril(np.arange(9).reshape(3, 3)))
    assert ints.triu().dtype == np.int64
    filled = ints.masked_fill(ints > 4, 2.7)
    assert filled.dtype == np.int64 and filled.tolist()[2] == [2, 2, 2]


def test_masked_fill_in_place_and_causal_attention_pattern():
    scores = mg.zeros(3, 3)
    causal = mg.tril(mg.ones(3, 3))
    scores.masked_fill_(causal == 0, float("-inf"))
    weights = scores.softmax(-1)
    np.testing.assert_allclose(weights.array, np.tril(np.ones((3, 3))) / np.arange(1, 4)[:, None])


def test_scatter_add_in_place_and_scatter_value():
    x = mg.zeros(3, dtype=mg.float64)
    x.scatter_add_(0, mg.tensor([0, 2, 0]), mg.tensor([1.0, 2.0, 3.0], dtype=mg.float64))
    assert x.tolist() == [4.0, 0.0, 2.0]
    out = mg.zeros(2, 3).scatter(1, mg.tensor([[2], [0]]), value=5.0)
    assert out.tolist() == [[0, 0, 5], [5, 0, 0]]


def test_chunk_and_split_sizes_follow_pytorch():
    x = mg.arange(7)
    assert [len(p) for p in x.chunk(3)] == [3, 3, 1]
    assert [len(p) for p in x.split(3)] == [3, 3, 1]
    assert [len(p) for p in mg.arange(6).chunk(4)] == [2, 2, 2]  # fewer chunks, as PyTorch
    assert [p.tolist() for p in mg.split(x, [2, 5])] == [[0, 1], [2, 3, 4, 5, 6]]


ERRORS = [
    ("embedding_float_indices", lambda: F.embedding(mg.tensor([0.0]), mg.ones(3, 2)),
     RuntimeError, "'indices'"),
    ("embedding_out_of_range", lambda: F.embedding(mg.tensor([3]), mg.ones(3, 2)),
     IndexError, "index out of range"),
    ("embedding_negative_index", lambda: F.embedding(mg.tensor([-1]), mg.ones(3, 2)),
     IndexError, "index -1"),
    ("embedding_padding_idx", lambda: F.embedding(mg.tensor([0]), mg.ones(3, 2), padding_idx=3),
     ValueError, "padding_idx=3"),
    ("one_hot_float", lambda: F.one_hot(mg.tensor([1.0])), RuntimeError, "LongTensor"),
    ("one_hot_negative", lambda: F.one_hot(mg.tensor([-1, 2])), RuntimeError, "non-negative"),
    ("one_hot_too_large", lambda: F.one_hot(mg.tensor([3]), 3), RuntimeError, "num_classes"),
    ("one_hot_empty", lambda: F.one_hot(mg.tensor([], dtype=mg.int64)), RuntimeError, "empty"),
    ("tril_1d", lambda: mg.tril(mg.ones(3)), RuntimeError, "at least 2 dimensions"),
    ("masked_fill_int_mask", lambda: mg.ones(2).masked_fill(mg.tensor([1, 0]), 0.0),
     RuntimeError, "boolean masks"),
    ("masked_fill_value_tensor", lambda: mg.ones(2).masked_fill(mg.tensor([True, False]),
                                                                mg.ones(2)),
     RuntimeError, "0-dimensional"),
    ("masked_fill_shapes", lambda: mg.ones(2).masked_fill(mg.tensor([True, False, True]), 0.0),
     RuntimeError, "(3,)"),
    ("masked_fill__larger_mask", lambda: mg.ones(2).masked_fill_(mg.ones(3, 2) > 0, 0.0),
     RuntimeError, "larger"),
    ("chunk_zero", lambda: mg.ones(3).chunk(0), RuntimeError, "greater than 0"),
    ("split_sizes_sum", lambda: mg.ones(5).split([2, 2]), RuntimeError, "sum exactly to 5"),
    ("repeat_too_few", lambda: mg.ones(2, 3).repeat(2), RuntimeError, "can not be smaller"),
    ("topk_too_large", lambda: mg.ones(3).topk(4), RuntimeError, "k=4 out of range"),
    ("cumsum_dim", lambda: mg.ones(3).cumsum(1), IndexError, "dimension 1"),
    ("scatter_add_index_dtype", lambda: mg.zeros(3).scatter_add(0, mg.tensor([0], dtype=mg.int32),
                                                              mg.ones(1)),
     RuntimeError, "int64"),
    ("scatter_add_out_of_bounds", lambda: mg.zeros(3).scatter_add(0, mg.tensor([3]), mg.ones(1)),
     RuntimeError, "out of bounds"),
    ("scatter_add_dtype", lambda: mg.zeros(3).scatter_add(0, mg.tensor([1]), mg.tensor([1])),
     RuntimeError, "src.dtype"),
    ("scatter_ndim", lambda: mg.zeros(3).scatter(0, mg.tensor([[1]]), mg.ones(1, 1)),
     RuntimeError, "same number of dimensions"),
    ("index_select_2d", lambda: mg.ones(3).index_select(0, mg.tensor([[0]])), RuntimeError,
     "1-d integer index"),
    ("split_negative", lambda: mg.ones(3).split(-1), RuntimeError, "positive, got -1"),
    ("repeat_negative", lambda: mg.ones(2).repeat(-1), RuntimeError, "non-negative"),
    ("topk_negative", lambda: mg.ones(3).topk(-1), RuntimeError, "k=-1"),
    ("scatter_add_index_too_large", lambda: mg.zeros(2, 2).scatter_add(
        0, mg.tensor([[0, 1, 1]]), mg.ones(2, 2)), RuntimeError, "is larger than src"),
    ("scatter_without_src", lambda: mg.zeros(2).scatter(0, mg.tensor([0])), TypeError,
     "src or value"),
    ("index_select_float", lambda: mg.ones(3).index_select(0, mg.tensor([0.0])), RuntimeError,
     "dtype float32"),
    ("cumsum_0d_dim", lambda: mg.cumsum(mg.tensor(1.0), 2), IndexError, "dimension 2"),
    ("einsum_bad_output", lambda: mg.einsum("ij->ii", mg.ones(2, 2)), ValueError,
     "invalid output subscripts"),
    ("einsum_no_operand", lambda: mg.einsum("->"), ValueError, "at least one operand"),
    ("einsum_operand_count", lambda: mg.einsum("ij,jk->ik", mg.ones(2, 2)), ValueError,
     "2 operands"),
    ("einsum_subscripts", lambda: mg.einsum("ijk->i", mg.ones(2, 2)), ValueError, "(2, 2)"),
    ("einsum_sizes", lambda: mg.einsum("ij,jk->ik", mg.ones(2, 3), mg.ones(2, 2)), ValueError,
     "subscript 'j'"),
    ("einsum_output", lambda: mg.einsum("ij->k", mg.ones(2, 2)), ValueError, "'k'"),
]


@pytest.mark.parametrize("name,call,error,fragment", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_name_the_problem(name, call, error, fragment):
    with pytest.raises(error) as caught:
        call()
    assert fragment in str(caught.value)
