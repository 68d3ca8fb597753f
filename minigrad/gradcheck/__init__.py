"""Numerical gradient checking: compare what backward says with what finite differences say.

For a function f with inputs x_1..x_n (and, for a Module, parameters) and outputs y_1..y_m,
backward computes the vector-Jacobian product g^T J. Choosing g = e_k (a one-hot vector) gives
row k of the Jacobian J = dy/dx. Central differences estimate column l directly:

    J[:, l] ~ (f(x + eps e_l) - f(x - eps e_l)) / (2 eps)      (error O(eps^2))

An element passes when |analytic - numerical| <= atol + rtol * |numerical| (PyTorch's rule).
Run it in float64: in float32 the rounding error of f (~1e-7 * |f|) divided by eps swamps
the estimate.

Files: jacobians.py (the two Jacobians, what is differentiated), check.py (gradcheck,
gradgradcheck, jacobian_error, the report), diagnosis.py (which classic mistake a wrong
gradient is).
"""
from .check import (GradcheckError, GradientFailure, gradcheck, gradgradcheck, jacobian_error,
                    jacobian_relative_error)
from .diagnosis import Diagnosis, diagnose
from .jacobians import named_parameters_of, numerical_gradient

__all__ = ["Diagnosis", "GradcheckError", "GradientFailure", "diagnose", "gradcheck",
           "gradgradcheck", "jacobian_error", "jacobian_relative_error", "named_parameters_of",
           "numerical_gradient"]
