"""``minigrad.optim``: optimizers (PyTorch's update rules and defaults) and schedules."""
from . import lr_scheduler, schedules
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .asgd import ASGD
from .bfgs import BFGS
from .conjugate_gradient import ConjugateGradient
from .gauss_newton import GaussNewton
from .hessian_free import HessianFree
from .lbfgs import LBFGS
from .levenberg_marquardt import LevenbergMarquardt
from .nadam import NAdam
from .newton import Newton
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = ["ASGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "BFGS",
           "ConjugateGradient", "GaussNewton", "HessianFree", "LBFGS", "LevenbergMarquardt",
           "NAdam", "Newton", "Optimizer", "RAdam", "RMSprop", "Rprop", "SGD", "lr_scheduler",
           "schedules"]
