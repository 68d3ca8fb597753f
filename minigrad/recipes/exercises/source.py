"""The text of an exercise file: the reference solution as it is stored, the skeleton made
from it (every ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` block replaced by a
``raise NotImplementedError`` at the same indentation), and the solution shown to the student
(the markers dropped). One source for both, so a skeleton can never drift from its answer."""
from __future__ import annotations

import re
from pathlib import Path

SOLUTIONS = Path(__file__).resolve().parent / "solutions"
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
HEADER = "# minigrad exercise: {name}   (check it: minigrad exercises check {name})\n"


def stored(name: str) -> str:
    return (SOLUTIONS / f"{name}.py").read_text()


def skeleton(name: str) -> str:
    """The file ``start`` writes: the reference with the answer blocks taken out."""
    lines, out, inside, function = stored(name).splitlines(keepends=True), [], False, "it"
    for line in lines:
        definition = re.match(r"\s*def (\w+)\(", line)
        if definition:
            function = definition.group(1)
        if line.strip() == BEGIN:
            inside = True
            indent = line[:len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{name}: write {function} (the '
                       f'docstring has the math)")\n')
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    return HEADER.format(name=name) + "".join(out)


def solution(name: str) -> str:
    """The reference, as the student reads it: the markers dropped."""
    return HEADER.format(name=name) + "".join(
        line for line in stored(name).splitlines(keepends=True)
        if line.strip() not in (BEGIN, END))


def exercise_named_in(text: str) -> str | None:
    """The exercise a file says it is (its first line, as ``start`` writes it)."""
    found = re.match(r"# minigrad exercise: (\w+)", text)
    return found.group(1) if found else None
