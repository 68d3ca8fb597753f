"""``einsum``: Einstein summation, built from permute, reshape, broadcast, matmul and sum,
so its gradient (of any order) is the chain rule through those primitives.

    out[output letters] = sum over the other letters of  prod_k operand_k[its letters]

The plan: (1) an operand with a repeated letter ('ii') keeps its diagonal; (2) a letter
found in one operand only and not in the output is summed there at once; (3) operands are
contracted pairwise, left to right, each pair as one batched matmul: the letters both share
and still need later are the batch, the letters they share and nobody needs any more are
summed by the product, the rest are the rows and columns; (4) the result is permuted into
the output's order.
"""
from __future__ import annotations

import string

import numpy as np

from ..ops._common import constant
from ..tensor import Tensor
from .pointwise import _tensor


def _parse(equation, operands):
    """The letters of each operand and of the output ('...' expanded to fresh letters)."""
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise ValueError(f"einsum(): the equation {equation!r} has {len(terms)} operands but "
                         f"{len(operands)} tensors were given")
    used = set(equation) - set(".,->")
    spare = [c for c in string.ascii_letters if c not in used]
    ellipsis_dims = 0
    for term, x in zip(terms, operands):
        if "..." in term:
            ellipsis_dims = max(ellipsis_dims, x.ndim - (len(term) - 3))
    broadcast = "".join(spare[:ellipsis_dims])
    letters = []
    for term, x in zip(terms, operands):
        if "..." in term:
            own = x.ndim - (len(term) - 3)
            term = term.replace("...", broadcast[ellipsis_dims - own:] if own else "")
        if not all(c.isalpha() for c in term) or len(term) != x.ndim:
            raise ValueError(f"einsum(): the subscripts {term!r} do not match an operand of "
                             f"shape {x.shape} (one letter per dimension)")
        letters.append(term)
    if arrow:
        output = output.replace("...", broadcast)
        if not all(c.isalpha() for c in output) or len(set(output)) != len(output):
            raise ValueError(f"einsum(): invalid output subscripts {output!r}")
    else:  # implicit output: the letters used once, in alphabetical order, after '...'
        counts = "".join(letters)
        output = broadcast + "".join(sorted(c for c in set(counts)
                                            if counts.count(c) == 1 and c not in broadcast))
    for c in output:
        if not any(c in term for term in letters):
            raise ValueError(f"einsum(): output subscript {c!r} does not appear in the inputs")
    return letters, output


def _diagonal(x, term):
    """Keep the diagonal of every letter repeated within one operand."""
    while len(set(term)) < len(term):
        c = next(c for c in term if term.count(c) > 1)
        first, second = term.index(c), term.index(c, term.index(c) + 1)
        n = x.shape[first]
        shape = [1] * x.ndim
        shape[first], shape[second] = n, n
        x = (x * constant(np.eye(n, dtype=x.dtype).reshape(shape))).sum(second)
        term = term[:second] + term[second + 1:]
    return x, term


def _sum_letters(x, term, letters):
    axes = tuple(i for i, c in enumerate(term) if c in letters)
    if not axes:
        return x, term
    return x.sum(axes), "".join(c for c in term if c not in letters)


def _contract(a, term_a, b, term_b, keep):
    """a and b contracted over their shared letters not in ``keep``; one batched matmul."""
    shared = [c for c in term_a if c in term_b]
    batch = [c for c in shared if c in keep]
    summed = [c for c in shared if c not in keep]
    rows = [c for c in term_a if c not in shared]
    cols = [c for c in term_b if c not in shared]
    size = {}
    for x, term in ((a, term_a), (b, term_b)):
        for c, n in zip(term, x.shape):
            if size.get(c, 1) not in (1, n) and n != 1:
                raise ValueError(f"einsum(): subscript {c!r} has size {n} for one operand "
                                 f"and {size[c]} for another")
            size[c] = max(size.get(c, 1), n)

    def arrange(x, term, order, shape):
        x = x.permute(*[term.index(c) for c in order]) if list(term) != order else x
        full = tuple(size[c] for c in order)
        x = x.expand(*full) if x.shape != full else x  # a size-1 letter broadcasts
        return x.reshape(shape) if x.shape != shape else x

    def count(group):
        return int(np.prod([size[c] for c in group], dtype=np.int64))

    # The batch letters stay separate dimensions (matmul batches over them), so that when
    # rows, sums and columns are one letter each no reshape copies: 'bhqd,bhkd->bhqk' is
    # one matmul of q with a transposed view of k.
    batch_shape = tuple(size[c] for c in batch)
    left = arrange(a, term_a, batch + rows + summed, batch_shape + (count(rows), count(summed)))
    right = arrange(b, term_b, batch + summed + cols, batch_shape + (count(summed), count(cols)))
    out = left @ right
    shape = tuple(size[c] for c in batch + rows + cols)
    out = out.reshape(shape) if out.shape != shape else out
    return out, "".join(batch + rows + cols)


def einsum(equation, *operands):
    """PyTorch's ``einsum(equation, *operands)`` (or a list of operands): e.g.
    'bij,bjk->bik' (batched matmul), 'bhqd,bhkd->bhqk' (attention scores), 'i,j->ij'
    (outer product), 'ij->ji' (transpose), 'ii->' (trace), 'bij->b' (sums), with '...' for
    leading dimensions and the implicit output (letters used once, alphabetically)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    operands = [_tensor(x) for x in operands]
    if not operands:
        raise ValueError("einsum(): must provide at least one operand")
    letters, output = _parse(equation, operands)
    terms = []
    for k, (x, term) in enumerate(zip(operands, letters)):
        x, term = _diagonal(x, term)
        others = "".join(t for j, t in enumerate(letters) if j != k) + output
        x, term = _sum_letters(x, term, set(term) - set(others))
        terms.append((x, term))
    result, term = terms[0]
    for i, (x, other) in enumerate(terms[1:], 2):
        later = "".join(t for _, t in terms[i:]) + output
        result, term = _contract(result, term, x, other, set(later))
    result, term = _sum_letters(result, term, set(term) - set(output))
    if term != output:
        result = result.permute(*[term.index(c) for c in output])
    return result
