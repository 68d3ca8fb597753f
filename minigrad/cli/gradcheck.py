"""``minigrad gradcheck``: the built-in layers and losses, or a student's own Function, Module
or function, against finite differences (the checks themselves are in recipes/gradient_checks.py)."""
import os
import traceback

from .arguments import non_negative_int


def add_gradcheck_arguments(parser):
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
        print(f"{'layer / loss':22s} {'relative error':>15s}  result")
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
        error, failure = gradient_checks.check_target(name, target, shapes, args.seed)
    except (OSError, ValueError) as problem:
        raise ValueError(str(problem)) from None
    except Exception as problem:  # a mistake in the student's code: say what and where
        raise ValueError(_in_user_code(problem, path)) from None
    shown = " and ".join("x".join(map(str, s)) for s in shapes)
    print(f"{name} on random float64 input{'s' if len(shapes) > 1 else ''} of shape {shown}: "
          f"relative error {error:.2e}, {'ok' if failure is None else 'FAIL'}")
    if failure is not None:
        print(failure)
    return 0 if failure is None else 1


def _in_user_code(problem, path) -> str:
    frames = [f for f in traceback.extract_tb(problem.__traceback__)
              if os.path.abspath(f.filename) == os.path.abspath(path)]
    where = f" ({path}, line {frames[-1].lineno})" if frames else ""
    return f"{type(problem).__name__}: {problem}{where}"
