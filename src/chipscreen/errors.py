"""Error types. User-input problems are reported as ``file:line: field: problem`` and map to exit status 2."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowProblem:
    """One bad row in an input file, located precisely enough for a user to fix it."""

    file: str
    line: int | None
    field: str | None
    problem: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.problem}" if self.field else f"{where}: {self.problem}"


class ChipscreenError(Exception):
    """Base class: anything the CLI reports as a message instead of a traceback."""

    exit_code = 2


class InputError(ChipscreenError):
    """Bad user input (files, arguments). Carries every problem found, not just the first."""

    def __init__(self, message: str, problems: list[RowProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [self.args[0]] + [str(p) for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"... and {len(self.problems) - 50} more problems")
        return "\n".join(lines)


class NotFoundError(ChipscreenError):
    """A snapshot, entity, chip or rulebook the user named does not exist."""


class DataError(ChipscreenError):
    """A shipped or user-supplied data file (YAML table, rulebook, manifest) that cannot be read as specified.

    Names the file and the key path inside it, so that a bad edit to ``data/`` is reported where it was made."""

    def __init__(self, file: str, key: str | None, problem: str) -> None:
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")
        self.file = file
        self.key = key
        self.problem = problem
