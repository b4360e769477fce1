"""The scorer's tuning constants: one typed home, read from data/names/thresholds.yml, errors that name the key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from chipscreen.errors import DataError
from chipscreen.names.thresholds import Thresholds, load_thresholds, thresholds
from chipscreen.paths import data_dir

SHIPPED = data_dir() / "names" / "thresholds.yml"


def _raw() -> dict[str, object]:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "thresholds.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_shipped_file_gives_every_constant() -> None:
    t = thresholds()
    assert isinstance(t, Thresholds)
    assert 0 < t.review < t.hit <= 1
    assert t.similarity.min_token == 0.7 and t.acronym.long == 0.85 and t.blocking.affix_chars == 4
    assert "technology" in t.kind_rules.boilerplate and "wang" in t.kind_rules.common_cjk_surnames


def test_every_key_of_a_typed_section_is_a_field() -> None:
    """A key the spec does not name would be a constant nothing reads (or a misspelt one)."""
    raw = _raw()
    for f in dataclasses.fields(Thresholds):
        section = raw[f.name]
        if isinstance(section, dict):
            names = {g.name for g in dataclasses.fields(getattr(thresholds(), f.name))}
            assert set(section) == names, f.name


def test_a_missing_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    data = _raw()
    similarity = data["similarity"]
    assert isinstance(similarity, dict)
    del similarity["korean_fold"]
    path = _write(tmp_path, data)
    with pytest.raises(DataError) as err:
        load_thresholds(path)
    assert err.value.file == str(path) and err.value.key == "similarity.korean_fold"
    assert "missing" in str(err.value)


@pytest.mark.parametrize(("section", "key", "value"), [
    ("pairing", "particle", "high"),  # a word for a number
    ("acronym", "long_chars", 4.5),  # a fraction for a count
    ("blocking", "affix_chars", True),  # a boolean is not a number
    ("kind_rules", "boilerplate", "technology"),  # a word for a list of words
])
def test_a_mistyped_key_names_the_file_and_the_key(tmp_path: Path, section: str, key: str, value: object) -> None:
    data = _raw()
    part = data[section]
    assert isinstance(part, dict)
    part[key] = value
    with pytest.raises(DataError) as err:
        load_thresholds(_write(tmp_path, data))
    assert err.value.key == f"{section}.{key}"


def test_a_missing_section_names_it(tmp_path: Path) -> None:
    data = _raw()
    del data["blocking"]
    with pytest.raises(DataError) as err:
        load_thresholds(_write(tmp_path, data))
    assert err.value.key == "blocking"


def test_a_whole_number_where_a_fraction_is_expected_is_read_as_one(tmp_path: Path) -> None:
    data = _raw()
    part = data["similarity"]
    assert isinstance(part, dict)
    part["initial"] = 1
    got = load_thresholds(_write(tmp_path, data)).similarity.initial
    assert got == 1.0 and isinstance(got, float)
