"""``minigrad gradcheck``: the built-in layers and losses, or a student's own Function, Module
or function, against finite differences (the checks are in recipes/gradient_checks.py)."""
import argparse
import os
import traceback

from .arguments import non_negative_int


MEASURES = """measures:
  Jacobian error  ||A - N|| / (||A|| + ||N||) over a whole Jacobian (A: backward's, N: central
                  differences): about 1e-10 when right, 0.33 for half the gradient, 1 for -1x
  element error   |a - n| / |n| at the worst element (the one furthest outside
                  |a - n| <= 1e-5 + 1e-3 |n|, PyTorch's rule)
A failure names the wrong gradient (an input, or a Module's parameter such as weight),
the worst element, both values, both measures and a diagnosis of the mistake (wrong sign,
a constant factor, transposed, a missing broadcast sum, one path of a value used twice, a
forgotten gradient, NaN)."""


def add_gradcheck_arguments(parser):
    parser.epilog = MEASURES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("target", nargs="?", metavar="FILE.py:NAME",
                        help="check your own Function subclass, Module or function instead of "
                             "the built-in layers")
    parser.add_argument("--shape", action="append", metavar="N,M,...",
                        help="shape of a random float64 input to TARGET; repeat it for several "
                             "inputs (default: one input of shape 3,4)")
    parser.add_argument("--seed", type=non_negative_int, default=0,
                        help="seed of the random inputs (default: 0)")


def run_gradcheck(args) -> int:
    from ..recipes import gradient_checks
    if args.target is None:
        if args.shape:
            args.parser.error("--shape needs a FILE.py:NAME to check")
        rows = gradient_checks.run(seed=args.seed)
        print(f"{'layer / loss':22s} {'Jacobian error':>15s}  result")
        for name, error, passed in rows:
            print(f"{name:22s} {error:15.2e}  {'ok' if passed else 'FAIL'}")
        failed = [name for name, _, passed in rows if not passed]
        print(f"{len(rows) - len(failed)} passed, {len(failed)} failed")
        return 1 if failed else 0
    try:
        shapes = [gradient_checks.parse_shape(s) for s in args.shape or ["3,4"]]
    except ValueError as error:
        args.parser.error(f"--shape: {error}")
    path = args.target.rpartition(":")[0]
    try:
        name, target = gradient_checks.load_target(args.target)
        error, failure = gradient_checks.check_target(name, target, shapes, args.seed,
                                                      shapes_given=bool(args.shape))
    except (OSError, ValueError) as problem:
        raise ValueError(str(problem)) from None
    except Exception as problem:  # a mistake in the student's code: say what and where
        raise ValueError(_in_user_code(problem, path)) from None
    shown = " and ".join("x".join(map(str, s)) for s in shapes)
    print(f"{name} on random float64 input{'s' if len(shapes) > 1 else ''} of shape {shown}: "
          f"Jacobian error {error:.2e}, {'ok' if failure is None else 'FAIL'}")
    for wrong in failure.failures if failure is not None else ():
        print(wrong.describe())
    return 0 if failure is None else 1


def _in_user_code(problem, path) -> str:
    frames = [f for f in traceback.extract_tb(problem.__traceback__)
              if os.path.abspath(f.filename) == os.path.abspath(path)]
    where = f" ({path}, line {frames[-1].lineno})" if frames else ""
    return f"{type(problem).__name__}: {problem}{where}"
