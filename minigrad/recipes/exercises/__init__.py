"""The gradient-check course: exercises a student starts, checks and gets diagnosed.

    minigrad exercises list                 # in order of difficulty, with the status
    minigrad exercises start sigmoid        # writes minigrad-exercises/sigmoid.py
    minigrad exercises check sigmoid        # every gradient, several shapes, edge cases
    minigrad exercises hint sigmoid         # one hint at a time
    minigrad exercises solution sigmoid     # the reference, and where minigrad does it

Files: catalogue.py (the exercises, one row each), solutions/ (each reference, from which
the skeleton is made: source.py), checker.py (the check, with minigrad.gradcheck and its
diagnosis), edge_cases.py (what finite differences cannot check: kinks and ties),
store.py (the status, in the exercise folder).
"""
from __future__ import annotations

from pathlib import Path

from . import source
from .catalogue import BY_NAME, EXERCISES, Exercise
from .checker import CheckResult, ExerciseFileError
from .checker import check as check_file
from .store import DEFAULT_DIR, FAILING, NOT_STARTED, PASSING, Store

__all__ = ["DEFAULT_DIR", "EXERCISES", "CheckResult", "ExerciseFileError", "check", "exercise",
           "hint", "solution", "start", "statuses"]


def exercise(name: str) -> Exercise:
    """The exercise called ``name``; an error listing them all otherwise."""
    if name not in BY_NAME:
        raise ExerciseFileError(f"no exercise named {name!r}; the exercises are: "
                                f"{', '.join(e.name for e in EXERCISES)}")
    return BY_NAME[name]


def statuses(directory=DEFAULT_DIR):
    """[(exercise, status)] in order of difficulty; status is "not started", "failing" or
    "passing" (as recorded in ``directory``/status.json)."""
    store = Store(directory)
    return [(e, store.status(e.name)) for e in EXERCISES]


def start(name: str, directory=DEFAULT_DIR) -> Path:
    """Write the skeleton of ``name`` to ``directory``/NAME.py. Refuses to overwrite a file
    that is there (it is the student's work)."""
    ex = exercise(name)
    store = Store(directory)
    path = store.file(ex.name)
    if path.exists():
        raise ExerciseFileError(f"{path} already exists: it is your work, so it is not "
                                "overwritten (delete or rename it to start again)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source.skeleton(ex.name))
    return path


def resolve(target: str, directory=DEFAULT_DIR):
    """NAME -> (exercise, DIR/NAME.py); FILE.py -> (the exercise it says it is, FILE.py)."""
    if target in BY_NAME:
        return BY_NAME[target], Store(directory).file(target)
    path = Path(target)
    if path.suffix != ".py":
        exercise(target)  # raises, listing the exercises
    if not path.is_file():
        raise ExerciseFileError(f"{path}: no such file")
    name = source.exercise_named_in(path.read_text()) or path.stem
    if name not in BY_NAME:
        raise ExerciseFileError(f"{path}: not an exercise file (its first line names no "
                                f"exercise and {path.stem!r} is no exercise's name)")
    return BY_NAME[name], path


def check(target: str, directory=DEFAULT_DIR) -> CheckResult:
    """Check an exercise by NAME (the file in ``directory``) or by FILE path, and record the
    status (passing / failing) in ``directory`` (for a FILE: the folder it is in)."""
    ex, path = resolve(target, directory)
    result = check_file(ex, path)
    store = Store(directory if target in BY_NAME else Path(path).parent)
    if store.file(ex.name).resolve() == Path(path).resolve():
        store.set_status(ex.name, PASSING if result.passed else FAILING)
    return result


def hint(name: str, directory=DEFAULT_DIR) -> str:
    """The next hint of ``name`` ("hint 2 of 3: ..."); the last one again once all are shown."""
    ex = exercise(name)
    index = Store(directory).next_hint(ex.name, len(ex.hints))
    return f"hint {index + 1} of {len(ex.hints)}: {ex.hints[index]}"


def solution(name: str) -> str:
    """The reference solution's text, then where minigrad itself does the same thing."""
    ex = exercise(name)
    return f"{source.solution(ex.name)}\n# In minigrad itself: {ex.where}\n"
