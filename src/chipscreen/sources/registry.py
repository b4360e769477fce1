"""The readers by format; ``parse_file`` picks the reader (or takes ``--format``). Imported on first use of
``chipscreen.sources.parse_file`` (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from chipscreen.errors import InputError
from chipscreen.sources import csl, ftm, ofac, ofac_xml, parties_csv, un_xml, us_lists
from chipscreen.sources.base import Format, ParsedDataset, is_format
from chipscreen.sources.lines import check_text_file, text_problem
from chipscreen.sources.xml_records import open_xml

Reader = Callable[..., ParsedDataset]

READERS: dict[Format, Reader] = {
    us_lists.FORMAT: us_lists.parse,
    csl.FORMAT_CSV: csl.parse_csv,
    csl.FORMAT_JSON: csl.parse_json,
    ofac.FORMAT: ofac.parse,
    ftm.FORMAT: ftm.parse,
    ftm.FORMAT_DELTA: ftm.parse,
    parties_csv.FORMAT: parties_csv.parse,
    ofac_xml.FORMAT: ofac_xml.parse,
    un_xml.FORMAT: un_xml.parse,
}
XML_FORMATS = (ofac_xml.FORMAT, un_xml.FORMAT)


def detect_format(path: Path) -> Format:
    """Guess the format from the file's name and first bytes; ``--format`` overrides."""
    if path.is_dir():
        if ofac.looks_like(path):
            return ofac.FORMAT
        raise InputError(f"{path}: a folder, but not an OFAC legacy CSV folder (sdn.csv or cons_prim.csv)")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}:1: file: not a regular file (a device or a pipe), not a list file")
    if path.suffix.lower() == ".zip":
        return _detect_zipped_xml(path)
    with path.open("rb") as fh:
        raw = fh.read(4096)
    problem = text_problem(raw)
    if problem and not ofac.looks_like(path):
        raise InputError(f"{path}:1: file: {problem}; cannot tell the format")
    head = raw.decode("utf-8", errors="replace")
    if ofac.looks_like(path):
        return ofac.FORMAT
    if us_lists.looks_like(path, head):
        return us_lists.FORMAT
    if csl.looks_like_csv(path, head):
        return csl.FORMAT_CSV
    if csl.looks_like_json(path, head):
        return csl.FORMAT_JSON
    if ftm.looks_like(path, head):
        return ftm.FORMAT_DELTA if '"op"' in head.split("\n", 1)[0] else ftm.FORMAT
    if parties_csv.looks_like(path, head):
        return parties_csv.FORMAT
    if ofac_xml.looks_like(head):
        return ofac_xml.FORMAT
    if un_xml.looks_like(head):
        return un_xml.FORMAT
    raise InputError(f"{path}: cannot tell the format; pass --format ({', '.join(READERS)})")


def _detect_zipped_xml(path: Path) -> Format:
    """OFAC serves its enhanced XML zipped: the format is that of the one XML file inside."""
    with open_xml(path) as (fh, _):
        head = fh.read(4096).decode("utf-8", errors="replace")
    if ofac_xml.looks_like(head):
        return ofac_xml.FORMAT
    if un_xml.looks_like(head):
        return un_xml.FORMAT
    raise InputError(f"{path}:1: file: the XML file in the archive is neither OFAC's nor the UN's list; "
                     f"pass --format ({', '.join(READERS)})")


def parse_file(
    path: Path, *, fmt: str | None = None, retrieved: dt.date | None = None, skip_bad_rows: bool = False,
    list_code: str | None = None,
) -> ParsedDataset:
    """Parse a whole file (nothing is stored yet): a bad row raises InputError unless skipped. ``list_code``
    names the internal list a parties CSV becomes (``lists load --list``); other formats carry their own."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    fmt = fmt or detect_format(path)
    if not is_format(fmt):
        raise InputError(f"--format: unknown format {fmt!r}; one of {', '.join(READERS)}")
    if not path.is_dir() and not path.is_file():
        raise InputError(f"{path}:1: file: not a regular file (a device or a pipe), not a list file")
    if fmt != ofac.FORMAT and path.is_file() and not (fmt in XML_FORMATS and path.suffix.lower() == ".zip"):
        check_text_file(path)  # OFAC's older files are Windows-1252: its reader decodes them itself
    if list_code is not None and fmt != parties_csv.FORMAT:
        raise InputError(f"{path}: --list names an internal list; it applies to parties CSV files, not {fmt}")
    if list_code is not None:
        parsed = parties_csv.parse(path, retrieved=retrieved, skip_bad_rows=skip_bad_rows, list_code=list_code)
    else:
        parsed = READERS[fmt](path, retrieved=retrieved, skip_bad_rows=skip_bad_rows)
    if not parsed.entry_count and not parsed.deleted_ids:
        raise InputError(f"{path}:1: file: no list entries found (read as {fmt}: is that its format?); "
                         "nothing was imported", parsed.skipped)
    return parsed
