"""Loss functions, PyTorch's semantics (``reduction`` = 'mean' | 'sum' | 'none') and
signatures, the deprecated ``size_average`` and ``reduce`` included (``legacy_reduction``)."""
import warnings

import numpy as np

from ... import ops
from ...ops._common import constant
from ...functional import where
from ...static.hooks import kernel
from ...tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    return losses.sum() if reduction == "sum" else losses


def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}; got {reduction!r}")


def legacy_reduction(size_average, reduce, reduction: str, stacklevel: int = 3) -> str:
    """``reduction``, unless PyTorch's deprecated flags are given: then, as PyTorch reads them
    (None counting as True), 'mean' if both hold, 'sum' if only reduce does, else 'none'."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", stacklevel=stacklevel)
    return reduction


def _reduction(size_average, reduce, reduction: str) -> str:
    """The reduction a loss function was asked for (see legacy_reduction), checked."""
    reduction = legacy_reduction(size_average, reduce, reduction, stacklevel=4)
    _check_reduction(reduction)
    return reduction


def _class_targets(shape, target, ignore_index: int, name: str) -> np.ndarray:
    """Validate class-index targets for scores of ``shape`` (N, C); returns them as an int64
    array."""
    target = target.array if isinstance(target, Tensor) else np.asarray(target)
    if len(shape) != 2:
        raise ValueError(f"{name} expects input of shape (N, C); got {shape}")
    if target.dtype.kind not in "iu":
        raise TypeError(f"{name} expects class indices (an integer tensor) as target; got "
                        f"dtype {target.dtype}")
    if target.shape != (shape[0],):
        raise ValueError(f"{name}: expected target of shape ({shape[0]},) to match the "
                         f"batch size of input {shape}; got target shape {target.shape}")
    classes = shape[1]
    in_range = target.size == 0 or (target.min() >= 0 and target.max() < classes)
    bad = None if in_range else (target != ignore_index) & ((target < 0) | (target >= classes))
    if bad is not None and bad.any():
        i = int(np.argmax(bad))
        raise IndexError(f"{name}: target {int(target[i])} at position {i} is out of bounds "
                         f"for {classes} classes (valid: 0..{classes - 1}, or ignore_index="
                         f"{ignore_index})")
    return target.astype(np.int64, copy=False)


def _class_weights(weight, classes: int, dtype):
    if weight is None:
        return np.ones(classes, dtype=dtype)
    weight = weight.array if isinstance(weight, Tensor) else np.asarray(weight)
    if weight.shape != (classes,):
        raise ValueError(f"weight must have shape ({classes},), one per class; got {weight.shape}")
    return weight.astype(dtype, copy=False)


def _target_distribution(shape, target, weight, dtype, ignore_index, label_smoothing, reduction):
    """The rows q of cross_entropy (one-hot, weighted, smoothed; zero when ignored) and the
    factor of its reduction (None for 'none')."""
    # (N, d1, ...) targets of (N * d1 * ..., C) logits: one row each
    target = _class_targets(shape, np.reshape(target, -1), ignore_index, "cross_entropy")
    n, classes = shape
    if weight is None and not label_smoothing and not (target == ignore_index).any():
        # The common case (every weight 1, nothing ignored), in a few NumPy calls.
        q = np.zeros((n, classes), dtype=dtype)
        q[np.arange(n), target] = 1.0
        with np.errstate(divide="ignore"):  # an empty batch: 1/0 = inf, and 0 * inf = nan
            scale = None if reduction == "none" else 1.0 if reduction == "sum" else \
                float(np.divide(1.0, np.float64(n)))
        return q, scale
    w = _class_weights(weight, classes, dtype)
    valid = target != ignore_index
    rows, picked = np.nonzero(valid)[0], target[valid]
    q = np.zeros((n, classes), dtype=dtype)
    q[rows, picked] = (1.0 - label_smoothing) * w[picked]
    if label_smoothing:
        q[rows] += (label_smoothing / classes) * w
    if reduction == "none":
        return q, None
    with np.errstate(divide="ignore"):  # all rows ignored: 0 * inf = nan, as PyTorch's 0/0
        scale = 1.0 if reduction == "sum" else float(np.divide(1.0, w[picked].sum(dtype=np.float64)))
    return q, scale


def cross_entropy(input: Tensor, target, weight=None, size_average=None, ignore_index: int = -100,
                  reduce=None, reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy, PyTorch's semantics, over the class dimension 1 of ``input``
    (shape (N, C), (N, C, d1, ...) such as a language model's (B, C, T), or unbatched (C,)):

        loss_i = -sum_c q_ic log softmax(z_i)_c

    With class indices ``target`` (shape (N, d1, ...)):
    q_ic = (1 - s) w_{t_i} [c = t_i] + s w_c / C (0 for a row whose target is
    ``ignore_index``); 'mean' divides the sum by sum_i w_{t_i} over non-ignored rows (the
    number of rows when unweighted). With class probabilities ``target`` (a float tensor of
    ``input``'s shape): q_ic = w_c ((1 - s) p_ic + s / C), and 'mean' divides by the number
    of rows. 'none' gives one loss per row, of shape (N, d1, ...). Stable for logits of any
    magnitude (one fused primitive).
    """
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be in [0, 1]; got {label_smoothing}")
    logits, rows_shape = _rows_of_classes(input)
    target_array = target.array if isinstance(target, Tensor) else np.asarray(target)
    if target_array.dtype.kind == "f" and target_array.shape == input.shape:
        losses = _cross_entropy_probabilities(input, logits, target, weight, reduction,
                                              label_smoothing)
    else:
        passed, target = target, target_array
        if target.shape != rows_shape:
            raise ValueError(f"cross_entropy: expected target of shape {rows_shape} for input "
                             f"of shape {input.shape}; got target shape {target.shape}")
        weight = weight.array if isinstance(weight, Tensor) else weight
        # One kernel: under minigrad.compile every step recomputes it from its own targets.
        q, scale = kernel(_target_distribution, logits.shape, target, weight,
                          logits.dtype, ignore_index, label_smoothing, reduction)
        losses = ops.CrossEntropy.apply(logits, constant(q),
                                        scale=None if reduction == "none" else scale)
        # Drawn with the class indices the user passed, not the target distribution q.
        _show(losses, logits, _as_passed(passed))
        if reduction != "none":
            return losses
    return losses.reshape(rows_shape) if reduction == "none" else losses


def _show(result: Tensor, *inputs: Tensor) -> Tensor:
    """Let drawings of the graph (``minigrad.viz``) show ``result``'s node with ``inputs``,
    what the user passed, in place of the internal arrays the op computes with."""
    if result.grad_fn is not None:
        result.grad_fn.shown_inputs = inputs
    return result


def _as_passed(target) -> Tensor:
    return target if isinstance(target, Tensor) else constant(np.asarray(target))


def _rows_of_classes(input: Tensor):
    """The logits as a (rows, C) matrix, and the shape of one loss per row."""
    if input.ndim == 1:
        return input.unsqueeze(0), ()
    if input.ndim == 0:
        raise ValueError("cross_entropy expects input of shape (C,), (N, C) or (N, C, d1, ...); "
                         "got a 0-d tensor")
    if input.ndim == 2:
        return input, (input.shape[0],)
    # (N, C, d1, ...) -> (N, d1, ..., C) -> (N * d1 * ..., C): the classes last
    moved = input.permute(0, *range(2, input.ndim), 1)
    return moved.reshape(-1, input.shape[1]), moved.shape[:-1]


def _cross_entropy_probabilities(input, logits, target, weight, reduction, smoothing):
    """Probability targets: the fused primitive with q as a constant, or, when the target
    itself requires grad, the composite -sum_c q_c log softmax(z)_c (differentiable in q)."""
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target))
    q, _ = _rows_of_classes(target.to(logits.dtype))
    classes = logits.shape[1]
    if smoothing:
        q = q * (1.0 - smoothing) + smoothing / classes
    if weight is not None:
        w = weight if isinstance(weight, Tensor) else Tensor(np.asarray(weight))
        q = q * constant(_class_weights(w.array, classes, logits.dtype))
    if q.requires_grad:
        losses = -(q * logits.log_softmax(1)).sum(1)
        return losses if reduction == "none" else _reduce(losses, reduction)
    scale = None if reduction == "none" else 1.0 if reduction == "sum" else \
        1.0 / logits.shape[0] if logits.shape[0] else float("nan")
    return ops.CrossEntropy.apply(logits, q, scale=scale)


def nll_loss(log_probs: Tensor, target, weight=None, size_average=None, ignore_index: int = -100,
             reduce=None, reduction: str = "mean") -> Tensor:
    """loss_i = -w_{t_i} * log_probs[i, t_i]; 'mean' divides by sum_i w_{t_i} (non-ignored)."""
    reduction = _reduction(size_average, reduce, reduction)
    passed = target
    target = target.array if isinstance(target, Tensor) else target
    weight = weight.array if isinstance(weight, Tensor) else weight
    rows, safe_target, row_weight, total = kernel(_nll_rows, log_probs.shape, target, weight,
                                                  log_probs.dtype, ignore_index)
    # Drawn as the user wrote it: the targets pick from log_probs; the internal row weights
    # and count are not drawn.
    picked = _show(log_probs[rows, safe_target], log_probs, _as_passed(passed))
    negated = -picked
    losses = _show(negated * constant(row_weight), negated)
    if reduction == "mean":
        summed = losses.sum()
        return _show(summed / constant(total), summed)
    return _reduce(losses, reduction)


def _nll_rows(shape, target, weight, dtype, ignore_index):
    """The picked positions of nll_loss, each row's weight (0 when ignored) and their sum."""
    target = _class_targets(shape, target, ignore_index, "nll_loss")
    w = _class_weights(weight, shape[1], dtype)
    valid = target != ignore_index
    safe_target = np.where(valid, target, 0)
    row_weight = np.where(valid, w[safe_target], 0).astype(dtype)
    total = np.asarray(row_weight.sum(), dtype=dtype)
    return np.arange(len(target)), safe_target, row_weight, total


def _check_same_shape(x: Tensor, y, name: str) -> Tensor:
    y = y if isinstance(y, Tensor) else Tensor(np.asarray(y, dtype=x.dtype))
    if x.shape != y.shape:
        # PyTorch only warns and broadcasts; a silently broadcast loss is a classic bug.
        raise ValueError(f"{name}: input shape {x.shape} and target shape {y.shape} differ")
    return y


def mse_loss(x: Tensor, y, size_average=None, reduce=None, reduction: str = "mean",
             weight=None) -> Tensor:
    """w (x - y)^2, reduced (w = 1 unless ``weight`` is given)."""
    reduction = _reduction(size_average, reduce, reduction)
    diff = x - _check_same_shape(x, y, "mse_loss")
    losses = diff * diff
    return _reduce(losses if weight is None else losses * weight, reduction)


def l1_loss(x: Tensor, y, size_average=None, reduce=None, reduction: str = "mean",
            weight=None) -> Tensor:
    """w |x - y|, reduced (w = 1 unless ``weight`` is given)."""
    reduction = _reduction(size_average, reduce, reduction)
    losses = (x - _check_same_shape(x, y, "l1_loss")).abs()
    return _reduce(losses if weight is None else losses * weight, reduction)


def binary_cross_entropy(p: Tensor, y, weight=None, size_average=None, reduce=None,
                         reduction: str = "mean") -> Tensor:
    """-w [y ln p + (1 - y) ln(1 - p)], each log clamped at -100 as PyTorch does, so p = 0 or
    1 gives a finite loss (one primitive, with PyTorch's backward)."""
    reduction = _reduction(size_average, reduce, reduction)
    y = _check_same_shape(p, y, "binary_cross_entropy")
    kernel(_check_probabilities, p.array)  # a kernel: a replay checks every step's input too
    losses = ops.BinaryCrossEntropy.apply(p, y.astype(p.dtype))
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction)


def _check_probabilities(p):
    if ((p < 0) | (p > 1)).any():
        raise ValueError("binary_cross_entropy: all elements of input should be between 0 and 1 "
                         "(apply a sigmoid, or use binary_cross_entropy_with_logits)")


def binary_cross_entropy_with_logits(x: Tensor, y, weight=None, size_average=None, reduce=None,
                                     reduction: str = "mean", pos_weight=None) -> Tensor:
    """(1 - y) x + (1 + (pos_weight - 1) y) softplus(-x): BCE of sigmoid(x), never forming
    sigmoid(x), so it is exact for logits of any size."""
    reduction = _reduction(size_average, reduce, reduction)
    y = _check_same_shape(x, y, "binary_cross_entropy_with_logits")
    log_weight = 1.0 if pos_weight is None else (pos_weight - 1.0) * y + 1.0
    losses = (1.0 - y) * x + ops.Softplus.apply(-x) * log_weight
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction)


def smooth_l1_loss(x: Tensor, y, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """Huber-like: 0.5 (x - y)^2 / beta where |x - y| < beta, else |x - y| - 0.5 beta
    (PyTorch's default beta = 1; beta = 0 is the L1 loss)."""
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss needs beta >= 0; got {beta}")
    distance = (x - _check_same_shape(x, y, "smooth_l1_loss")).abs()
    if beta == 0:
        return _reduce(distance, reduction)
    quadratic = distance * distance * (0.5 / beta)
    # The mask is a kernel, so that a compiled step computes it anew from each batch.
    inside = constant(kernel(np.less, distance.array, beta))
    losses = where(inside, quadratic, distance - 0.5 * beta)
    return _reduce(losses, reduction)


def huber_loss(input: Tensor, target, reduction: str = "mean", delta: float = 1.0,
               weight=None) -> Tensor:
    """0.5 (x - y)^2 where |x - y| < delta, else delta (|x - y| - 0.5 delta) (Huber, 1964;
    PyTorch's default delta = 1). It is delta times the smooth L1 loss with beta = delta,
    and is written as exactly that; ``weight`` multiplies each element's loss."""
    _check_reduction(reduction)
    if not delta > 0:
        raise ValueError(f"huber_loss needs delta > 0; got {delta}")
    losses = smooth_l1_loss(input, target, reduction="none", beta=delta) * delta
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction)


def kl_div(input: Tensor, target, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """KL(target || exp(input)) pointwise, with ``input`` log-probabilities (as PyTorch):
    target (ln target - input), 0 where target = 0; ``log_target=True``: target holds
    log-probabilities and the loss is e^target (target - input). ``reduction='batchmean'``
    divides the sum by the batch size (the true KL divergence per sample); 'mean', PyTorch's
    default, averages over every element. ``size_average`` / ``reduce`` are PyTorch's legacy
    spellings of the reduction."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in _REDUCTIONS + ("batchmean",):
        raise ValueError(f"kl_div: reduction must be 'mean', 'batchmean', 'sum' or 'none'; got "
                         f"{reduction!r}")
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target, input.dtype))
    if log_target:
        losses = target.exp() * (target - input)
    else:
        # x ln x -> 0 as x -> 0: take the log of positive targets only, so that a zero
        # target gives a zero loss and a zero (not nan) gradient.
        positive = target.array > 0
        losses = where(positive, target * where(positive, target, 1.0).log(), 0.0) \
            - target * input
    if reduction == "batchmean":
        return losses.sum() / (input.shape[0] if input.ndim else 1)
    return _reduce(losses, reduction)
