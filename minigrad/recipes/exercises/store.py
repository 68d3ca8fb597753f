"""The student's progress, kept in the exercise folder itself (status.json next to the
files): each exercise's status (not started / failing / passing) and how many hints were
shown. A plain JSON file the student can read, delete or commit; nothing in a hidden place."""
from __future__ import annotations

import json
from pathlib import Path

DEFAULT_DIR = "minigrad-exercises"
STATUS_FILE = "status.json"
NOT_STARTED, FAILING, PASSING = "not started", "failing", "passing"


class Store:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.path = self.directory / STATUS_FILE

    def _load(self) -> dict:
        if not self.path.is_file():
            return {}
        try:
            return json.loads(self.path.read_text())
        except ValueError:
            raise ValueError(f"{self.path}: not valid JSON (delete it to start the record "
                             "afresh; your exercise files are not affected)") from None

    def _save(self, record: dict):
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")

    def file(self, name: str) -> Path:
        return self.directory / f"{name}.py"

    def status(self, name: str) -> str:
        """"not started" until the file exists; then the result of the last check, and
        "failing" for a started file never checked (the skeleton cannot pass)."""
        if not self.file(name).is_file():
            return NOT_STARTED
        return self._load().get(name, {}).get("status", FAILING)

    def set_status(self, name: str, status: str):
        record = self._load()
        record.setdefault(name, {})["status"] = status
        self._save(record)

    def next_hint(self, name: str, count: int) -> int:
        """The index of the hint to show now (the next one each call, the last one again
        when all were shown)."""
        record = self._load()
        shown = record.setdefault(name, {}).get("hints_shown", 0)
        record[name]["hints_shown"] = min(shown + 1, count)
        self._save(record)
        return min(shown, count - 1)
