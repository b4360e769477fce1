"""The shared pieces of the CLI: the one date parser, JSON output and the exit status."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from chipscreen.cli.options import parse_date
from chipscreen.cli.output import exit_with, print_json
from chipscreen.errors import ChipscreenError


def test_parse_date_takes_iso_dates_only() -> None:
    assert parse_date("2026-02-10") == dt.date(2026, 2, 10)
    with pytest.raises(ChipscreenError, match=r"--date: not an ISO date \(YYYY-MM-DD\): '2024-13-01'"):
        parse_date("2024-13-01")


def test_print_json_writes_dates_sets_and_unicode(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"on": dt.date(2026, 1, 15), "lists": ("EL",), "name": "科大讯飞"})
    out = capsys.readouterr().out
    assert json.loads(out) == {"on": "2026-01-15", "lists": ["EL"], "name": "科大讯飞"}
    assert "科大讯飞" in out and out.endswith("}\n")


def test_print_json_refuses_what_it_cannot_write() -> None:
    with pytest.raises(TypeError, match="not JSON serialisable: object"):
        print_json({"x": object()})


def test_exit_with_keeps_the_status() -> None:
    with pytest.raises(SystemExit) as exc:
        exit_with(1)
    assert exc.value.code == 1
