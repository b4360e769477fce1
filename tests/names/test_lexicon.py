"""The names tables load into typed shapes; a malformed file is reported with its file and key."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from chipscreen.errors import DataError
from chipscreen.names.lexicon import LEGAL_FORMS_FILE, alnum, ascii_key, legal_form_table, names_data_dir, tables
from chipscreen.names.numbers import ORDINALS_FILE, number_words


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of data/names that a test may break, read instead of the shipped one."""
    shutil.copytree(names_data_dir(), tmp_path / "names")
    monkeypatch.setenv("CHIPSCREEN_DATA", str(tmp_path))
    for memo in (tables, number_words, legal_form_table):
        memo.cache_clear()
    yield tmp_path / "names"
    monkeypatch.delenv("CHIPSCREEN_DATA")
    for memo in (tables, number_words, legal_form_table):
        memo.cache_clear()


def test_a_malformed_table_names_file_and_key(data_copy: Path) -> None:
    path = data_copy / "generic_words.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("stop:\n  [the,", "stop: the\nx:\n  [the,"),
                    encoding="utf-8")
    with pytest.raises(DataError) as err:
        tables()
    assert err.value.file.endswith("generic_words.yml") and err.value.key == "stop"
    assert err.value.problem == "expected a list"


def test_an_unquoted_yaml_boolean_in_a_word_list_is_refused(data_copy: Path) -> None:
    path = data_copy / "generic_words.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('"on"', "on"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        tables()
    assert err.value.key == "stop[5]" and "quote" in err.value.problem


def test_on_is_a_stop_word() -> None:
    assert "on" in tables().stop_words
    assert not any(w in tables().stop_words for w in ("True", "False"))


@pytest.mark.parametrize(("text", "key", "problem"), [
    ("forms: {co: true}\n", "forms", "expected a list"),
    ("forms:\n  - {form: co, standalone: true}\n  - {form: co}\n", "forms[1]", "listed twice"),
    ("forms:\n  - {form: co, standalone: yes please}\n", "forms[0]", "true or false"),
    ("forms:\n  - {form: co, reader: names}\n", "forms[0]", "unknown attribute(s): reader"),
    ("forms:\n  - [co]\n", "forms[0]", "a text 'form'"),
])
def test_a_malformed_legal_forms_file_names_file_and_key(data_copy: Path, text: str, key: str, problem: str) -> None:
    (data_copy / LEGAL_FORMS_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        legal_form_table()
    assert err.value.file.endswith(LEGAL_FORMS_FILE) and err.value.key == key and problem in err.value.problem


def test_a_malformed_ordinals_file_names_file_and_key(data_copy: Path) -> None:
    (data_copy / ORDINALS_FILE).write_text("ordinals:\n  one: [first]\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        number_words()
    assert err.value.file.endswith(ORDINALS_FILE) and err.value.key == "ordinals.one"


def test_tables_keep_the_scorer_fields() -> None:
    t = tables()
    assert t.weights["distinctive"] > t.weights["generic"]
    assert t.abbreviations["intl"] == "international"


def test_lookup_forms() -> None:
    assert alnum("S.C. Johnson & Son") == "scjohnsonson"
    assert ascii_key("AT&T Inc.") == "at&tinc"
