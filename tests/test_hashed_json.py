"""Cache files named by their content's hash: a planted, edited or cut-short file is refused, never read."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from chipscreen import hashed_json

KEY = "0123456789abcdef"


def test_a_written_file_is_found_and_reads_back_as_written(tmp_path: Path) -> None:
    data = b'{"a":1}'
    path = hashed_json.write(tmp_path, "fam", KEY, data)
    assert hashed_json.candidates(tmp_path, "fam", KEY) == [path]
    assert hashed_json.verified(path, "fam") == data
    assert path.name == f"fam-{KEY}-{hashlib.sha256(data).hexdigest()}.json"


def test_an_edited_file_is_refused(tmp_path: Path) -> None:
    path = hashed_json.write(tmp_path, "fam", KEY, b"[1,2,3]")
    path.write_bytes(b"[1,2,4]")
    with pytest.raises(ValueError, match="does not match its hash"):
        hashed_json.verified(path, "fam")


def test_a_planted_file_of_another_family_or_shape_is_refused(tmp_path: Path) -> None:
    data = b"[]"
    planted = tmp_path / f"other-{KEY}-{hashlib.sha256(data).hexdigest()}.json"
    planted.write_bytes(data)
    with pytest.raises(ValueError):
        hashed_json.verified(planted, "fam")
    loose = tmp_path / "fam-evil.json"
    loose.write_bytes(data)
    with pytest.raises(ValueError):
        hashed_json.verified(loose, "fam")


def test_writing_removes_the_familys_older_files_and_leaves_others(tmp_path: Path) -> None:
    first = hashed_json.write(tmp_path, "fam", KEY, b"[1]")
    neighbour = hashed_json.write(tmp_path, "other", KEY, b"[1]")
    second = hashed_json.write(tmp_path, "fam", "fedcba9876543210", b"[2]")
    assert not first.exists() and second.exists() and neighbour.exists()


def test_a_family_asked_under_a_few_keys_keeps_the_files_written_last(tmp_path: Path) -> None:
    first = hashed_json.write(tmp_path, "fam", KEY, b"[1]", keep=2)
    second = hashed_json.write(tmp_path, "fam", "fedcba9876543210", b"[2]", keep=2)
    assert first.exists() and second.exists()
    os.utime(first, (1, 1))
    os.utime(second, (2, 2))  # written last
    third = hashed_json.write(tmp_path, "fam", "00000000ffffffff", b"[3]", keep=2)
    assert not first.exists() and second.exists() and third.exists()


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "cache"
    target.mkdir()
    (target / f"fam-{KEY}-{hashlib.sha256(b'x').hexdigest()}.json").mkdir()  # the rename cannot replace a folder
    with pytest.raises(OSError):
        hashed_json.write(target, "fam", KEY, b"x")
    assert not list(target.glob("*.tmp*"))
