"""Every format a dataset may carry has a reader, and ``--format`` accepts no other."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from chipscreen.errors import InputError
from chipscreen.paths import data_dir
from chipscreen.sources import READERS, parse_file
from chipscreen.sources.base import Format, is_format


def test_the_format_names_are_the_readers() -> None:
    assert set(READERS) == set(get_args(Format))
    assert is_format("ftm-delta") and not is_format("xml")


def test_an_unknown_format_is_an_input_error_naming_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown format 'xml'; one of us-lists-json, csl-csv"):
        parse_file(data_dir() / "lists" / "us_lists_2026-07" / "bis_meu.json", fmt="xml")
