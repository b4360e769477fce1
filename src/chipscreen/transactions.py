"""Reading transactions (the Transaction contract) from a JSON file, a JSON array, JSON lines or stdin.

A batch must not stop at its first bad record: each record becomes either a Transaction or an error that
names its line and field, and the caller decides the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chipscreen.errors import InputError
from chipscreen.model import Transaction


@dataclass
class TxRecord:
    """One input record: the transaction, or why it could not be read."""

    line: int
    source: str
    transaction: Transaction | None = None
    error: str | None = None
    raw: dict[str, Any] | None = None


def describe_validation_error(exc: ValidationError) -> str:
    """pydantic's errors as "field: problem; field: problem", the way users read them."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"] if x != "__root__")
        msg = err["msg"].removeprefix("Value error, ")
        # a check of the whole record names its field(s) in its message
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def parse_transaction(obj: Any, *, line: int, source: str) -> TxRecord:
    if not isinstance(obj, dict):
        return TxRecord(line, source, error=f"{source}:{line}: record: expected a JSON object")
    try:
        tx = Transaction.model_validate(obj)
    except ValidationError as exc:
        tid = obj.get("id")
        label = f" (transaction {tid})" if tid else ""
        return TxRecord(line, source, error=f"{source}:{line}{label}: {describe_validation_error(exc)}", raw=obj)
    return TxRecord(line, source, transaction=tx, raw=obj)


def read_transactions(path: str | Path) -> Iterator[TxRecord]:
    """Records from ``path`` ("-" = stdin). A file holding one object or an array is read whole; anything
    else is read as JSON lines, each line on its own so one malformed line loses only itself."""
    source = "<stdin>" if str(path) == "-" else str(path)
    if source == "<stdin>":
        text = sys.stdin.read()
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{p}: no such file")
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{p}: not UTF-8 text ({exc.reason})") from None
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            doc = _loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}:{exc.lineno}: JSON: {exc.msg} (column {exc.colno})") from None
        for i, obj in enumerate(doc, start=1):
            yield parse_transaction(obj, line=i, source=f"{source}[record]")
        return
    if stripped.startswith("{") and not _is_json_lines(text):
        try:
            obj = _loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}:{exc.lineno}: JSON: {exc.msg} (column {exc.colno})") from None
        yield parse_transaction(obj, line=1, source=source)
        return
    for lineno, raw in enumerate(text.splitlines(), start=1):
        rec = parse_line(raw, line=lineno, source=source)
        if rec is not None:
            yield rec


def parse_line(raw: str, *, line: int, source: str) -> TxRecord | None:
    """One line of a JSON-lines file (None for a blank line): what any reader of the format, local or on
    Spark, makes of it."""
    if not raw.strip():
        return None
    try:
        obj = _loads(raw)
    except json.JSONDecodeError as exc:
        return TxRecord(line, source, error=f"{source}:{line}: JSON: {exc.msg} (column {exc.colno})")
    return parse_transaction(obj, line=line, source=source)


def _loads(text: str) -> Any:
    """``json.loads``, with a value nested past Python's recursion limit (a 5,000-deep line) reported as the
    JSON error it is, so that it costs its own line and not the batch."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply to read", text, 0) from None


def _is_json_lines(text: str) -> bool:
    """True when every non-empty line is a JSON value of its own (a pretty-printed object is not)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) <= 1:
        return False
    try:
        _loads(lines[0])
    except json.JSONDecodeError:
        return False
    return True
