"""``minigrad exercises``: the gradient-check course. Parsing and printing only; the
exercises, the check and the status live in minigrad/recipes/exercises/."""

HELP = "gradient exercises: start one, write its backward, get it checked and diagnosed"

ACTIONS = {
    "list": "the exercises in order of difficulty, with your status",
    "start": "write the skeleton DIR/NAME.py (never over your own file)",
    "check": "check every gradient of NAME (DIR/NAME.py) or FILE; exit status 0 or 1",
    "hint": "the next hint for NAME (one at a time)",
    "solution": "the reference solution of NAME, and where minigrad does the same",
}


def add_exercises_arguments(parser):
    from ..recipes.exercises import DEFAULT_DIR
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, help_text in ACTIONS.items():
        sub = actions.add_parser(action, help=help_text, description=help_text)
        if action in ("start", "hint", "solution"):
            sub.add_argument("name", metavar="NAME", help="the exercise (see: minigrad "
                                                          "exercises list)")
        if action == "check":
            sub.add_argument("target", metavar="NAME|FILE",
                             help="an exercise's name (its file in --dir) or a file's path")
        if action != "solution":
            sub.add_argument("--dir", default=DEFAULT_DIR,
                             help="the folder of your exercise files and status.json "
                                  f"(default: ./{DEFAULT_DIR})")
    parser.epilog = ("the check uses minigrad.gradcheck on every input and parameter; a "
                     "failure names the gradient and the mistake (wrong sign, a factor, "
                     "transposed, a missing broadcast sum, one path of a value used twice, "
                     "a forgotten gradient, NaN)")


def run_exercises(args) -> int:
    from ..recipes import exercises
    if args.action == "list":
        for number, (exercise, status) in enumerate(exercises.statuses(args.dir), 1):
            print(f"{number:3d}  {exercise.name:16s} {status:12s} {exercise.title}")
        return 0
    if args.action == "start":
        path = exercises.start(args.name, args.dir)
        print(f"wrote {path}: write its backward, then: minigrad exercises check {args.name}"
              + ("" if args.dir == exercises.DEFAULT_DIR else f" --dir {args.dir}"))
        return 0
    if args.action == "check":
        result = exercises.check(args.target, args.dir)
        print(result.report())
        return 0 if result.passed else 1
    if args.action == "hint":
        print(exercises.hint(args.name, args.dir))
        return 0
    print(exercises.solution(args.name), end="")
    return 0
