"""``minigrad.optim.lr_scheduler``: PyTorch's schedulers, plus four textbook decays."""
from .base import LRScheduler
from .basic import (ConstantLR, CosineAnnealingLR, CosineAnnealingWarmRestarts,
                    ExponentialDecayLR, ExponentialLR, InverseTimeDecayLR, LambdaLR, LinearLR,
                    MultiplicativeLR, MultiStepLR, PolynomialLR, StepDecayLR, StepLR)
from .composite import ChainedScheduler, SequentialLR, WarmupLR
from .cyclic import CyclicLR, OneCycleLR
from .plateau import ReduceLROnPlateau

__all__ = ["ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
           "CyclicLR", "ExponentialDecayLR", "ExponentialLR", "InverseTimeDecayLR", "LRScheduler",
           "LambdaLR", "LinearLR", "MultiStepLR", "MultiplicativeLR", "OneCycleLR",
           "PolynomialLR", "ReduceLROnPlateau", "SequentialLR", "StepDecayLR", "StepLR",
           "WarmupLR"]
