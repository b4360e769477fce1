"""The records of a large XML list file, one element at a time, each with the line it starts on.

The official lists (OFAC's enhanced XML, the UN consolidated list) are one flat sequence of records under a
root. They are read with expat in chunks: only the record being read is a tree, and it is dropped once the
reader has taken it, so a 200 MB file never sits in memory. expat is used directly, not through
``ElementTree.iterparse``, because the line of each record is what makes a bad record reportable as
``file:line: field: problem``. A document type declaration is refused: no list needs one, and refusing it
closes entity expansion and external entities at once.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from chipscreen.errors import InputError

CHUNK = 1 << 16
MAX_RECORD_CHARS = 16 << 20
"""Text in one record beyond this (16 MiB) is not a list entry: the file is refused rather than held."""


class XmlRecords:
    """Iterate ``(line, element)`` for each element named in ``record_tags`` (outermost only).

    ``root`` holds the root element's tag and attributes once iteration has started (the UN list's
    ``dateGenerated``). Namespaces are not expanded: tags are the names as written, which for these
    files (a default namespace, no prefixes) are the local names.
    """

    def __init__(self, fh: IO[bytes], where: str, record_tags: frozenset[str]) -> None:
        self.fh, self.where, self.tags = fh, where, record_tags
        self.root: tuple[str, dict[str, str]] | None = None
        self._parser = expat.ParserCreate()
        self._parser.buffer_text = True
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._data
        self._parser.StartDoctypeDeclHandler = self._doctype
        self._builder: TreeBuilder | None = None
        self._depth = 0
        self._line = 0
        self._size = 0
        self._done: list[tuple[int, Element]] = []

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = (tag, attrs)
        if self._builder is None:
            if tag not in self.tags:
                return
            self._builder, self._depth, self._size = TreeBuilder(), 0, 0
            self._line = self._parser.CurrentLineNumber
        self._depth += 1
        self._builder.start(tag, attrs)

    def _end(self, tag: str) -> None:
        if self._builder is None:
            return
        self._builder.end(tag)
        self._depth -= 1
        if self._depth == 0:
            self._done.append((self._line, self._builder.close()))
            self._builder = None

    def _data(self, text: str) -> None:
        if self._builder is not None:
            self._size += len(text)
            if self._size > MAX_RECORD_CHARS:
                raise InputError(f"{self.where}:{self._line}: record: over {MAX_RECORD_CHARS:,} characters of "
                                 "text in one record; not a list file; nothing was imported")
            self._builder.data(text)

    def _doctype(self, *_: object) -> None:
        raise InputError(f"{self.where}:{self._parser.CurrentLineNumber}: XML: a document type declaration; "
                         "list files have none (refused: entities could expand); nothing was imported")

    def __iter__(self) -> Iterator[tuple[int, Element]]:
        while True:
            chunk = self._read()
            self._feed(chunk, final=not chunk)
            yield from self._done
            self._done.clear()
            if not chunk:
                return

    def _read(self) -> bytes:
        try:
            return self.fh.read(CHUNK)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            line = self._parser.CurrentLineNumber
            raise InputError(f"{self.where}:{line}: file: the archive is damaged ({exc}); "
                             "nothing was imported") from None

    def _feed(self, chunk: bytes, *, final: bool) -> None:
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            message = expat.ErrorString(exc.code) if exc.code else str(exc)
            raise InputError(f"{self.where}:{exc.lineno}: XML: {message} (column {exc.offset + 1}); "
                             "nothing was imported") from None
        except (ValueError, TypeError) as exc:  # a record that is not a tree (the builder's own checks)
            raise InputError(f"{self.where}:{self._parser.CurrentLineNumber}: XML: {exc}; "
                             "nothing was imported") from None


@contextmanager
def open_xml(path: Path) -> Iterator[tuple[IO[bytes], str]]:
    """The XML stream of ``path`` and the name to report it under: the file itself, or the one ``.xml``
    member of a ``.zip`` (as OFAC serves its enhanced files), decompressed as it is read."""
    if path.suffix.lower() != ".zip":
        with path.open("rb") as fh:
            yield fh, str(path)
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"{path}:1: file: not a readable ZIP archive ({exc}); nothing was imported") from None
    with archive:
        members = [i for i in archive.infolist() if i.filename.lower().endswith(".xml") and not i.is_dir()]
        if len(members) != 1:
            found = ", ".join(i.filename for i in archive.infolist()) or "nothing"
            raise InputError(f"{path}:1: file: expected one .xml file in the archive, found {found}")
        try:
            member = archive.open(members[0])
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, OSError) as exc:
            raise InputError(f"{path}:1: file: cannot open {members[0].filename} in the archive ({exc}); "
                             "nothing was imported") from None
        with member:
            yield member, str(path)


def text(el: Element, path: str) -> str | None:
    """The stripped text at ``path`` below ``el``, None when absent or blank."""
    value = el.findtext(path)
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def texts(el: Element, path: str) -> list[str]:
    out = []
    for child in el.iterfind(path):
        value = " ".join((child.text or "").split())
        if value:
            out.append(value)
    return out
