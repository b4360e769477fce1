"""Reading a list file as text, line by line, in bounded memory, whatever the file holds.

A list file can be anything a user points at: a UTF-16 export, a binary, ``/dev/zero``, a CSV with one
cell of a megabyte. Readers take their lines from here, so each of these is one clear ``file:line: field:
problem`` instead of a traceback or a process that reads until memory runs out.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from chipscreen.errors import InputError
from chipscreen.sources.base import RowErrors

MAX_LINE_CHARS = 1 << 20
"""A line longer than this (1 MiB of UTF-8) is a bad row: no list writes a name or an address that long."""
MAX_SKIPPED_CHARS = 64 << 20
"""Characters of over-long lines skipped before the file is refused as not a list (``/dev/zero``)."""


def check_text_file(path: Path) -> None:
    """Refuse what cannot be a UTF-8 text list, from its first bytes: UTF-16/32, binary data, nothing."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    problem = text_problem(head)
    if problem:
        raise InputError(f"{path}:1: file: {problem}; nothing was imported")


def text_problem(head: bytes) -> str | None:
    """Why a file starting with ``head`` is not UTF-8 text, or None."""
    if not head:
        return "empty file"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text; save it as UTF-8"
    if b"\x00" in head:
        return "binary data (NUL bytes), not a text list"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return f"not UTF-8 text (byte 0x{head[exc.start]:02x} at offset {exc.start})"
    return None


def read_text(path: Path) -> str:
    """A whole (JSON) file as text; bytes that are not UTF-8 are an error naming their line and column."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise InputError(f"{path}:{line}: text: not UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
                         "nothing was imported") from None


class BoundedLines(Iterator[str]):
    """The lines of a text file for ``csv.reader``; ``line`` is the number of the last one read. A line
    over ``MAX_LINE_CHARS`` is recorded as a bad row and left out; bytes that are not UTF-8 fail the file."""

    def __init__(self, fh: BinaryIO, path: str, errors: RowErrors) -> None:
        self.fh, self.path, self.errors = fh, path, errors
        self.line = 0
        self.skipped = 0

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        while True:
            text = self._read()
            self.line += 1
            if len(text) <= MAX_LINE_CHARS or (text.endswith("\n") and len(text) == MAX_LINE_CHARS + 1):
                if not text:
                    raise StopIteration
                return text
            self.errors.add(self.line, "line", f"longer than {MAX_LINE_CHARS:,} characters; left out")
            self._skip_rest(len(text))

    def _read(self) -> str:
        raw = self.fh.readline(MAX_LINE_CHARS + 1)
        if self.line == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a byte order mark, as Excel writes one
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.path}:{self.line + 1}: text: not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                             f"{exc.start + 1}); nothing was imported") from None

    def _skip_rest(self, read: int) -> None:
        """Read on to the end of an over-long line, keeping nothing."""
        text = "x"
        while text and not text.endswith("\n"):
            self.skipped += read
            if self.skipped > MAX_SKIPPED_CHARS:
                raise InputError(f"{self.path}:{self.line}: line: over {MAX_SKIPPED_CHARS:,} characters without a "
                                 "line break; not a list file; nothing was imported", self.errors.problems[:5])
            text = self._read()
            read = len(text)


def bounded_lines(fh: BinaryIO, path: str, errors: RowErrors) -> BoundedLines:
    return BoundedLines(fh, path, errors)


def numbered_rows(
    reader: Iterator[list[str]], path: str | Path, line: Callable[[], int]
) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank CSV row with the number of the line it starts on (``line()`` is the last line read).

    A row the CSV reader cannot read (a quote left open) refuses the whole file: what follows it cannot be
    told apart from the quoted cell, so importing the rest would import garbage. A row of one DOS end-of-file
    mark (``0x1a``, as old OFAC files end) is blank.
    """
    while True:
        at = line() + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{path}:{at}: CSV: {exc}; nothing was imported") from None
        if "".join(cells).strip(" \t\r\n\x1a"):
            yield at, cells
