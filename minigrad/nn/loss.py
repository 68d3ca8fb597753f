"""Loss modules: thin wrappers over ``nn.functional``'s losses that remember their options.

Each takes PyTorch's full signature, the deprecated ``size_average`` and ``reduce`` included:
when either is given it decides the reduction as PyTorch's legacy rule does (reduce=False:
'none'; else size_average=False: 'sum'; else 'mean'), overriding ``reduction``.
"""
from . import functional as F
from .functional.loss import legacy_reduction
from .module import Module


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__()
        self.reduction = legacy_reduction(size_average, reduce, reduction, stacklevel=4)


class CrossEntropyLoss(_Loss):
    """Fused softmax cross-entropy over (N, C) or (N, C, d1, ...) logits, with class indices
    (N, d1, ...) or class probabilities (the input's shape) as targets (``F.cross_entropy``)."""

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(size_average, reduce, reduction)
        self.weight, self.ignore_index, self.label_smoothing = weight, ignore_index, label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    """-log_probs[i, t_i] (weighted), for models ending in LogSoftmax."""

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.weight, self.ignore_index = weight, ignore_index

    def forward(self, log_probs, target):
        return F.nll_loss(log_probs, target, self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class MSELoss(_Loss):
    """(x - y)^2."""

    def forward(self, x, y):
        return F.mse_loss(x, y, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """0.5 (x - y)^2 / beta where |x - y| < beta, else |x - y| - 0.5 beta."""

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean",
                 beta: float = 1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, x, y):
        return F.smooth_l1_loss(x, y, reduction=self.reduction, beta=self.beta)


class L1Loss(_Loss):
    """|x - y|."""

    def forward(self, x, y):
        return F.l1_loss(x, y, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities (logs clamped at -100)."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.weight = weight

    def forward(self, p, y):
        return F.binary_cross_entropy(p, y, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of sigmoid(logits), computed stably from the logits."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean",
                 pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.weight, self.pos_weight = weight, pos_weight

    def forward(self, x, y):
        return F.binary_cross_entropy_with_logits(x, y, self.weight, reduction=self.reduction,
                                                  pos_weight=self.pos_weight)
