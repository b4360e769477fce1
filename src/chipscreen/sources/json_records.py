"""The records of a large JSON list file (``{"results": [...]}`` or a bare array), one object at a time, each
with the line it starts on.

The CSL download is one JSON document of tens of megabytes. ``json.loads`` holds the text and every object at
once; here a window of the text is kept, each record is decoded with the C scanner (``raw_decode``) and handed
on, and the window moves past it. A record cut by the window's end is decoded again once more text is read;
one record larger than ``MAX_RECORD_CHARS`` is not a list entry, and the file is refused. Line numbers are
counted as the window moves, so every problem is ``file:line``.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import IO, Any

from chipscreen.errors import InputError

CHUNK = 1 << 20
MAX_RECORD_CHARS = 16 << 20
_WS = " \t\r\n"


class JsonRecords:
    """Iterate ``(line, value)`` over the items of the array at ``key`` of the top-level object (or of a
    top-level array). Other top-level members are read and dropped."""

    def __init__(self, fh: IO[bytes], where: str, key: str = "results") -> None:
        self.fh, self.where, self.key = fh, where, key
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._json = json.JSONDecoder()
        self._buf = ""
        self._pos = 0
        self._seen_pos = 0  # lines are counted up to here, incrementally (a recount per record is quadratic)
        self._seen_line = 1  # the line of self._buf[self._seen_pos]
        self._eof = False
        self.found = False  # whether the array was there (an object without it has no records)

    # -- the window ---------------------------------------------------------------------------------------
    def _more(self) -> bool:
        """Append the next chunk; drop what has been read. False at the end of the file."""
        if self._eof:
            return False
        raw = self.fh.read(CHUNK)
        try:
            text = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise self._not_utf8(bytes(exc.object), exc.start) from None
        self._eof = not raw
        if not text:  # the window stays as it is: a decoding error's position still points into it
            return bool(raw)
        self._seen_line = self._line_at(self._pos)
        self._buf = self._buf[self._pos:] + text
        self._pos = self._seen_pos = 0
        return True

    def _not_utf8(self, data: bytes, at: int) -> InputError:
        line = self._line_at(len(self._buf)) + data.count(b"\n", 0, at)
        newline = data.rfind(b"\n", 0, at)
        column = at - newline if newline >= 0 else len(self._buf) - (self._buf.rfind("\n") + 1) + at + 1
        return InputError(f"{self.where}:{line}: text: not UTF-8 (byte 0x{data[at]:02x} at column {column}); "
                          "nothing was imported")

    def _line_at(self, pos: int) -> int:
        if pos < self._seen_pos:
            return self._seen_line - self._buf.count("\n", pos, self._seen_pos)
        self._seen_line += self._buf.count("\n", self._seen_pos, pos)
        self._seen_pos = pos
        return self._seen_line

    def _skip_ws(self) -> str:
        """The next significant character (reading on as needed), "" at the end of the file."""
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in _WS:
                self._pos += 1
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more():
                return ""

    def _fail(self, pos: int, problem: str) -> InputError:
        return InputError(f"{self.where}:{self._line_at(pos)}: JSON: {problem}; nothing was imported")

    def _expect(self, chars: str, what: str) -> str:
        ch = self._skip_ws()
        if not ch or ch not in chars:
            got = repr(ch) if ch else "the end of the file"
            raise self._fail(self._pos, f"expected {what}, found {got}")
        self._pos += 1
        return ch

    def _value(self) -> Any:
        """Decode one value at the window's position, reading on while it is cut off by the window."""
        self._skip_ws()
        while True:
            try:
                value, end = self._json.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                if len(self._buf) - self._pos > MAX_RECORD_CHARS:
                    raise self._fail(self._pos, f"a record over {MAX_RECORD_CHARS:,} characters") from None
                if self._more():
                    continue
                raise InputError(f"{self.where}:{self._line_at(exc.pos)}: JSON: {exc.msg} (column {exc.colno}); "
                                 "nothing was imported") from None
            if end == len(self._buf) and not self._eof and self._more():
                continue  # a number may go on in the next chunk: decode it whole
            self._pos = end
            return value

    # -- the document -------------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[tuple[int, Any]]:
        first = self._expect("{[", "a JSON object or array")
        if first == "[":
            self.found = True
            yield from self._items()
        else:
            yield from self._members()
        if self._skip_ws():
            raise self._fail(self._pos, "text after the end of the document")

    def _members(self) -> Iterator[tuple[int, Any]]:
        if self._skip_ws() == "}":
            self._pos += 1
            return
        while True:
            key = self._value()
            if not isinstance(key, str):
                raise self._fail(self._pos, "expected a member name")
            self._expect(":", "':'")
            if key == self.key and self._skip_ws() == "[":
                self._pos += 1
                self.found = True
                yield from self._items()
            else:
                self._value()
            if self._expect(",}", "',' or '}'") == "}":
                return

    def _items(self) -> Iterator[tuple[int, Any]]:
        if self._skip_ws() == "]":
            self._pos += 1
            return
        while True:
            self._skip_ws()
            line = self._line_at(self._pos)
            yield line, self._value()
            if self._expect(",]", "',' or ']'") == "]":
                return
