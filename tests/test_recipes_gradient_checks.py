"""``minigrad gradcheck FILE.py:NAME``: a student's own Function, Module or function, checked
with the same report as the API; and the built-in table, the same on every run."""
import os
import subprocess
import sys
import textwrap

import pytest

from minigrad.recipes import gradient_checks as layer_checks

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

STUDENT_FILE = '''
import numpy as np
import minigrad as mg
from minigrad import nn
from minigrad.autograd import Function


class MySigmoid(Function):
    """out = 1 / (1 + e^-a);  da = g * out * (1 - out)."""
    saves_output = True

    def forward(self, a):
        return 1 / (1 + np.exp(-a))

    def backward(self, grad, out):
        return (grad * out * (1 - out),)


class WrongSigmoid(MySigmoid):
    def backward(self, grad, out):
        return (grad * out,)  # forgot the (1 - out)


class ArraySigmoid(MySigmoid):
    def backward(self, grad, out):
        return (grad.array * out.array * (1 - out.array),)


class Scale(nn.Module):
    def forward(self, x):
        return x * 3 + x.tanh()


def squared_norm(x, y):
    return ((x - y) ** 2).sum()


layer = nn.Linear(4, 2)


def broken(x):
    return x.no_such_method()


class HalvedWeight(Function):
    @staticmethod
    def forward(ctx, x, weight):
        ctx.save_for_backward(x, weight)
        return x @ weight.T

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        return grad @ weight, 0.5 * (grad.T @ x)  # the weight's gradient halved


class MyLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(mg.randn(2, 4))

    def forward(self, x):
        return HalvedWeight.apply(x, self.weight)


class MulAdd(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b + a

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * (b + 1), grad * a
'''


def gradcheck_command(tmp_path, *args):
    (tmp_path / "my_layer.py").write_text(STUDENT_FILE)
    return subprocess.run([sys.executable, "-m", "minigrad", "gradcheck", *args],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": ROOT})


@pytest.mark.parametrize("target,shapes", [
    ("MySigmoid", []), ("Scale", ["--shape", "2,5"]), ("layer", ["--shape", "3,4"]),
    ("squared_norm", ["--shape", "3", "--shape", "3"]),
])
def test_a_correct_function_module_or_function_passes(tmp_path, target, shapes):
    result = gradcheck_command(tmp_path, f"my_layer.py:{target}", *shapes)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{target} on random float64 input")
    assert result.stdout.strip().endswith("ok")


def test_a_wrong_backward_fails_with_gradchecks_report(tmp_path):
    result = gradcheck_command(tmp_path, "my_layer.py:WrongSigmoid", "--shape", "3,4")
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "Jacobian mismatch for output 0 with respect to input 0" in result.stdout
    assert "analytic" in result.stdout and "numerical" in result.stdout


def test_a_backward_returning_an_array_is_one_line_naming_the_function(tmp_path):
    result = gradcheck_command(tmp_path, "my_layer.py:ArraySigmoid")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "ArraySigmoid.backward returned a numpy.ndarray" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args,message,code", [
    (["my_layer.py:Missing"], "my_layer.py defines no 'Missing'; it defines:", 1),
    (["nowhere.py:MySigmoid"], "nowhere.py: no such file", 1),
    (["my_layer.py"], "expected FILE.py:NAME", 1),
    (["my_layer.py:MySigmoid", "--shape", "3,x"], "comma-separated positive integers", 2),
    (["my_layer.py:np"], "expected a Function subclass, a Module or a function", 1),
])
def test_mistakes_on_the_command_line_are_one_line(tmp_path, args, message, code):
    result = gradcheck_command(tmp_path, *args)
    assert result.returncode == code and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_an_exception_in_the_students_code_names_the_file_and_line(tmp_path):
    result = gradcheck_command(tmp_path, "my_layer.py:broken")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "AttributeError" in result.stderr and "no_such_method" in result.stderr
    line = STUDENT_FILE.splitlines().index("    return x.no_such_method()") + 1
    assert f"(my_layer.py, line {line})" in result.stderr


def test_the_built_in_table_is_seeded():
    assert layer_checks.run() == layer_checks.run()


def test_check_target_reports_the_same_as_the_api():
    namespace = {}
    exec(textwrap.dedent(STUDENT_FILE), namespace)
    error, failure = layer_checks.check_target("MySigmoid", namespace["MySigmoid"], [(3, 4)])
    assert error < 1e-8 and failure is None
    error, failure = layer_checks.check_target("WrongSigmoid", namespace["WrongSigmoid"], [(3, 4)])
    assert error > 1e-3 and "Worst: d output" in str(failure)
    assert failure.gradient == "input 0" and failure.diagnosis.kind == "unknown"


def test_a_modules_wrong_weight_gradient_fails_naming_the_weight(tmp_path):
    result = gradcheck_command(tmp_path, "my_layer.py:MyLinear", "--shape", "3,4")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("MyLinear on random float64 input of shape 3x4: Jacobian "
                                    "error") and "FAIL" in result.stdout
    assert "with respect to parameter weight" in result.stdout and "d weight[" in result.stdout
    assert "Diagnosis: factor 0.5" in result.stdout


def test_the_two_measures_are_named_apart_and_explained_in_help(tmp_path):
    result = gradcheck_command(tmp_path, "my_layer.py:WrongSigmoid", "--shape", "3,4")
    assert "Jacobian error" in result.stdout and "element error" in result.stdout
    assert "relative error" not in result.stdout
    help_text = gradcheck_command(tmp_path, "--help").stdout
    assert "Jacobian error  ||A - N|| / (||A|| + ||N||)" in help_text
    assert "element error   |a - n| / |n| at the worst element" in help_text


@pytest.mark.parametrize("shapes,message", [
    ([], "MulAdd.forward takes 2 inputs but 1 --shape was given (the default: one of shape "
         "3,4); pass --shape once per input, e.g. --shape 3,4 --shape 3,4"),
    (["--shape", "3"], "MulAdd.forward takes 2 inputs but 1 --shape was given; pass --shape "
                       "once per input"),
    (["--shape", "3"] * 3, "MulAdd.forward takes 2 inputs but 3 --shape were given"),
])
def test_a_wrong_number_of_shapes_is_one_line_naming_the_count(tmp_path, shapes, message):
    result = gradcheck_command(tmp_path, "my_layer.py:MulAdd", *shapes)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"minigrad gradcheck: error: {message}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_two_shapes_for_a_two_input_function_pass(tmp_path):
    result = gradcheck_command(tmp_path, "my_layer.py:MulAdd", "--shape", "3", "--shape", "3")
    assert result.returncode == 0 and result.stdout.strip().endswith("ok")
