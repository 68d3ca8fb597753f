"""The exercise course: start, check, status, hints, solutions; and for every exercise the
reference passes while the same file with a classic mistake injected fails with the
diagnosis that names it."""
import json

import pytest

from minigrad.recipes import exercises
from minigrad.recipes.exercises import source
from minigrad.recipes.exercises.catalogue import EXERCISES

NAMES = [e.name for e in EXERCISES]

# Appended to a reference file: backward's first non-None gradient goes through TRANSFORM.
INJECT = '''

from minigrad.autograd import Function as _Function
_target = [v for v in list(globals().values()) if isinstance(v, type)
           and issubclass(v, _Function) and "backward" in vars(v)][0]
_original_backward = _target.backward


def _wrong_backward(ctx, grad_output):
    grads = _original_backward(ctx, grad_output)
    single = not isinstance(grads, tuple)
    grads = list((grads,) if single else grads)
    first = next(i for i, g in enumerate(grads) if g is not None)
    grads[first] = TRANSFORM(grads[first])
    return grads[0] if single else tuple(grads)


_target.backward = staticmethod(_wrong_backward)
'''

GENERIC_MISTAKES = [  # (label, transform, diagnosis kind, words in the report)
    ("half", "lambda g: g * 0.5", "factor", "factor 0.5"),
    ("sign", "lambda g: -g", "sign", "wrong sign"),
    ("NaN", "lambda g: g * float('nan')", "nan", "NaN"),
    ("forgotten", "lambda g: g * 0", "zero", "forgotten"),
]

# (exercise, reference line, the line with the mistake, kind, words): mistakes students make.
WRITTEN_MISTAKES = [
    ("add", "return reduce_to(grad_output, a_shape), reduce_to(grad_output, b_shape)",
     "return reduce_to(grad_output, a_shape), grad_output", "broadcast", "broadcast dimension"),
    ("div", "grad_b = -grad_output * a / (b * b)", "grad_b = grad_output * a / (b * b)",
     "sign", "wrong sign"),
    ("pow", "return grad_output * ctx.p * x ** (ctx.p - 1), None",
     "return grad_output * x ** (ctx.p - 1), None", "factor", "factor 1/3"),
    ("relu", "return mg.where(x > 0, grad_output, mg.zeros_like(grad_output))",
     "return mg.where(x >= 0, grad_output, mg.zeros_like(grad_output))", "convention",
     "x = 0"),
    ("matmul", "return grad_output @ b.T, a.T @ grad_output",
     "return grad_output @ b.T, grad_output.T @ a", "transposed", "transposed"),
    ("mean", "return grad_output.unsqueeze(ctx.dim).expand(*ctx.shape) / n, None",
     "return grad_output.unsqueeze(ctx.dim).expand(*ctx.shape), None", "factor", "factor 4"),
    ("mse", "grad = grad_output * 2 * (x - y) / x.numel()",
     "grad = grad_output * (x - y) / x.numel()", "factor", "only one use"),
    ("softmax", "return s * (grad_output - (grad_output * s).sum(-1, keepdim=True))",
     "return s * grad_output", "one_path", "one path only"),
    ("log_softmax_nll", "return grad_output * (log_p.exp() - one_hot) / log_p.shape[0], None",
     "return grad_output * (log_p.exp() - one_hot), None", "factor", "4 is the size of input dimension 0"),
    ("linear", "return grad_output @ weight, grad_output.T @ x, grad_output.sum(0)",
     "return grad_output @ weight, x.T @ grad_output, grad_output.sum(0)", "transposed",
     "gradient of weight is wrong: transposed"),
    ("linear", "return grad_output @ weight, grad_output.T @ x, grad_output.sum(0)",
     "return grad_output @ weight, grad_output.T @ x, grad_output[0]", "broadcast",
     "gradient of bias is wrong: one slice only"),
    ("batchnorm", "grad_x = inv_std / n * (n * g_hat - g_hat.sum(0) - x_hat * (g_hat * x_hat).sum(0))",
     "grad_x = inv_std * g_hat", "one_path", "one path only"),
    ("layernorm", "d = x_hat.shape[-1]", "d = x_hat.shape[-1]; inv_std = inv_std * 0 + 1",
     "unknown", "gradient of x is wrong"),
    ("dropout", "return grad_output * mask / (1 - ctx.p), None",
     "return grad_output * mask, None", "factor", "factor 0.5"),
    ("maxpool2d", "np.put_along_axis(windows, ctx.index[..., None], g[..., None], -1)",
     "windows[...] = g[..., None] * (windows_of(ctx.x) == windows_of(ctx.x).max(-1, "
     "keepdims=True))", "ties", "one element only"),
    ("embedding", "np.add.at(grad_weight, ctx.indices, grad_output.array)",
     "grad_weight[ctx.indices] = grad_output.array", "broadcast", "repeated uses"),
    ("attention", "return grad_s @ k, grad_s.T @ q, grad_v", "return grad_s @ k, q.T @ grad_s, grad_v",
     "transposed", "gradient of k is wrong"),
    ("gru_cell", "grad_h = g * z + grad_gh @ weight_hh", "grad_h = grad_gh @ weight_hh",
     "one_path", "direct element-wise path"),
]


def write(tmp_path, name, text):
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    return path


@pytest.mark.parametrize("name", NAMES)
def test_the_reference_solution_passes(tmp_path, name):
    result = exercises.check(str(write(tmp_path, name, exercises.solution(name))), tmp_path)
    assert result.passed, result.report()
    assert result.report().endswith("passed, every gradient on every case")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("label,transform,kind,words", GENERIC_MISTAKES,
                         ids=[m[0] for m in GENERIC_MISTAKES])
def test_a_generic_mistake_fails_with_its_diagnosis(tmp_path, name, label, transform, kind, words):
    text = exercises.solution(name) + INJECT.replace("TRANSFORM", f"({transform})")
    result = exercises.check(str(write(tmp_path, name, text)), tmp_path)
    assert not result.passed
    assert result.failure.kind == kind, result.report()
    assert words in result.report()


@pytest.mark.parametrize("name,right,wrong,kind,words", WRITTEN_MISTAKES,
                         ids=[f"{m[0]}-{m[3]}" for m in WRITTEN_MISTAKES])
def test_a_written_mistake_fails_with_its_diagnosis(tmp_path, name, right, wrong, kind, words):
    text = exercises.solution(name)
    assert right in text
    if name == "maxpool2d":  # the mask-based backward needs the input: keep it in forward
        text = text.replace("windows = windows_of(x.array)\n",
                            "windows = windows_of(x.array)\n        ctx.x = x.array\n")
    result = exercises.check(str(write(tmp_path, name, text.replace(right, wrong))), tmp_path)
    assert not result.passed
    assert result.failure.kind == kind, result.report()
    assert words in result.report(), result.report()


@pytest.mark.parametrize("name", NAMES)
def test_every_skeleton_starts_and_fails_as_not_implemented(tmp_path, name):
    path = exercises.start(name, tmp_path)
    text = path.read_text()
    assert text.startswith(f"# minigrad exercise: {name}") and "NotImplementedError" in text
    assert source.BEGIN not in text and "BEGIN SOLUTION" not in text
    result = exercises.check(name, tmp_path)
    assert not result.passed and result.failure.kind == "not_implemented"
    assert f"not implemented: {name}: " in result.report()


def test_a_skeleton_contains_nothing_of_the_answer():
    text = source.skeleton("sigmoid")
    assert "grad_output * out * (1 - out)" not in text
    assert "grad_output * out * (1 - out)" in exercises.solution("sigmoid")


def test_start_refuses_to_overwrite_the_students_file(tmp_path):
    path = exercises.start("tanh", tmp_path)
    path.write_text("my work")
    with pytest.raises(exercises.ExerciseFileError, match=r"tanh\.py already exists"):
        exercises.start("tanh", tmp_path)
    assert path.read_text() == "my work"


def test_status_moves_from_not_started_to_failing_to_passing(tmp_path):
    def status():
        return dict((e.name, s) for e, s in exercises.statuses(tmp_path))["exp"]

    assert status() == "not started"
    path = exercises.start("exp", tmp_path)
    assert status() == "failing"
    assert not exercises.check("exp", tmp_path).passed
    assert status() == "failing"
    path.write_text(exercises.solution("exp"))
    assert exercises.check("exp", tmp_path).passed
    assert status() == "passing"
    assert json.loads((tmp_path / "status.json").read_text())["exp"]["status"] == "passing"
    assert [e.name for e, _ in exercises.statuses(tmp_path)] == NAMES


def test_hints_come_one_at_a_time_and_are_kept_per_exercise(tmp_path):
    count = len(exercises.exercise("add").hints)
    shown = [exercises.hint("add", tmp_path) for _ in range(count + 1)]
    assert [s.split(":")[0] for s in shown] == [f"hint {i} of {count}" for i in
                                                 list(range(1, count + 1)) + [count]]
    assert exercises.hint("mul", tmp_path).startswith("hint 1 of")


def test_the_solution_says_where_minigrad_does_it():
    text = exercises.solution("matmul")
    assert "return grad_output @ b.T, a.T @ grad_output" in text
    assert "# In minigrad itself: minigrad/ops/linalg.py: MatMul" in text


def test_at_least_twenty_exercises_each_with_hints_and_a_where():
    assert len(EXERCISES) >= 20
    for exercise in EXERCISES:
        assert exercise.hints and exercise.where and exercise.title
        assert len(exercise.cases) >= 2


@pytest.mark.parametrize("call,message", [
    (lambda d: exercises.start("nonsense", d), "no exercise named 'nonsense'; the exercises are"),
    (lambda d: exercises.check("nonsense", d), "no exercise named 'nonsense'"),
    (lambda d: exercises.check(str(d / "missing.py"), d), "missing.py: no such file"),
    (lambda d: exercises.check("sigmoid", d), "sigmoid.py: no such file (start it with"),
    (lambda d: exercises.hint("nonsense", d), "no exercise named"),
])
def test_mistakes_in_what_is_asked_are_one_line_errors(tmp_path, call, message):
    with pytest.raises(exercises.ExerciseFileError, match=message.replace("(", r"\(")):
        call(tmp_path)


def test_a_file_that_is_not_an_exercise_is_refused(tmp_path):
    path = write(tmp_path, "notes", "x = 1\n")
    with pytest.raises(exercises.ExerciseFileError, match="not an exercise file"):
        exercises.check(str(path), tmp_path)


def test_an_error_in_the_students_code_names_the_file_and_line(tmp_path):
    path = exercises.start("log", tmp_path)
    path.write_text(path.read_text().replace(
        'raise NotImplementedError("log: write backward', 'return x.no_such_method()  # ("'))
    result = exercises.check("log", tmp_path)
    assert result.failure.kind == "error" and "AttributeError" in result.report()
    assert f"({path}, line " in result.report()


def test_an_unsummed_gradient_is_named_before_the_engine_would_sum_it(tmp_path):
    text = exercises.solution("mul").replace("reduce_to(grad_output * a, b.shape)",
                                             "grad_output * a")
    result = exercises.check(str(write(tmp_path, "mul", text)), tmp_path)
    assert result.failure.gradient == "b" and result.failure.kind == "broadcast"
    assert "returned shape (3, 4) where b has shape (4,)" in result.report()


def test_second_derivatives_are_checked_where_backward_is_differentiable(tmp_path):
    text = exercises.solution("tanh").replace("(1 - out * out)", "(1 - out.detach() ** 2)")
    result = exercises.check(str(write(tmp_path, "tanh", text)), tmp_path)
    assert not result.passed and result.failure.case.startswith("second derivatives")
    assert "Tensor operations" in result.report()


def test_a_damaged_status_file_is_named_and_the_exercises_are_untouched(tmp_path):
    path = exercises.start("exp", tmp_path)
    (tmp_path / "status.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"status\.json: not valid JSON \(delete it"):
        exercises.check("exp", tmp_path)
    assert path.read_text().startswith("# minigrad exercise: exp")


@pytest.mark.parametrize("name,right,wrong,kind,words", [
    ("attention", "return a @ v\n", "return (a @ v) * 2\n", "forward",
     "forward is wrong: its output differs from the reference by up to"),
    ("attention", "return a @ v\n", "return (a @ v)[:1]\n", "forward",
     "forward returned shape (1, 3); expected (3, 3)"),
    ("attention", "return a @ v\n", "return (a @ v).array\n", "forward",
     "forward returned a numpy.ndarray, not a Tensor"),
    ("matmul", "return grad_output @ b.T, a.T @ grad_output",
     "return grad_output @ b.T, (a.T @ grad_output).reshape(-1)[:3]", "shape",
     "returned shape (3,) where b has shape (4, 2): not a shape broadcasting explains"),
    ("exp", "return grad_output * out", "return grad_output * out +", "error", "SyntaxError"),
    ("matmul", "return grad_output @ b.T, a.T @ grad_output",
     "return grad_output @ b, a.T @ grad_output", "shape", "is an operand transposed?"),
])
def test_a_wrong_forward_shape_or_file_is_named(tmp_path, name, right, wrong, kind, words):
    text = exercises.solution(name)
    assert right in text
    result = exercises.check(str(write(tmp_path, name, text.replace(right, wrong))), tmp_path)
    assert result.failure.kind == kind and words in result.report(), result.report()


def test_a_file_without_the_exercises_class_is_refused_naming_it(tmp_path):
    path = write(tmp_path, "sigmoid", "# minigrad exercise: sigmoid\nclass Other:\n    pass\n")
    with pytest.raises(exercises.ExerciseFileError, match="defines no 'Sigmoid': the sigmoid "
                                                           "exercise checks the class Sigmoid"):
        exercises.check(str(path), tmp_path)
