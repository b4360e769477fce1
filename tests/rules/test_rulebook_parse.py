"""A bad edit to a rulebook is reported with its file and key path (rulebook_schema + rulebook_parse).

One case per kind of problem: a missing key, a wrong type, a bad date, an unknown reference, an unknown
key, and a broken ``extends`` chain; plus the message a user of the CLI sees.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from chipscreen.errors import ChipscreenError, DataError
from chipscreen.paths import data_dir
from chipscreen.rules import RulebookError
from chipscreen.rules.countries import country_groups
from chipscreen.rules.rulebook import load_registry
from chipscreen.rules.rulebook_schema import RulebookSpec

ACS = "2023-11-17-acs-ifr.yaml"


@pytest.fixture
def rulebooks(tmp_path: Path) -> Path:
    """A copy of the shipped rulebooks folder, for a test to break one of its files."""
    folder = tmp_path / "rulebooks"
    shutil.copytree(data_dir() / "rulebooks", folder)
    return folder


def _break(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(folder: Path, old: str, new: str, name: str = ACS) -> RulebookError:
    """The error of loading the rulebooks once ``old`` in the file ``name`` reads ``new``."""
    _break(folder, name, old, new)
    with pytest.raises(RulebookError) as exc:
        load_registry(folder, country_groups())
    return exc.value


# ------------------------------------------------------------------ the cases the existing data could hide
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'op: ">="\n    value: 4800\n    text: "3A090.a.1',
            'op: "=>"\n    value: 4800\n    text: "3A090.a.1',
            "inequality",
        ),
        ("when: tpp_a1", "when: tpp_a9", "unknown threshold"),
        ("extends: 2023-01-17-macau", "extends: 2023-11-17-acs-ifr", "cycle"),
        ("include: [D:1, D:4, D:5, Macau], exclude", "include: [D:1, D:9, D:5, Macau], exclude", "D:9"),
        ("policy: presumption_of_approval", "policy: maybe", "policy"),
    ],
)
def test_bad_rulebooks_are_rejected_with_the_file_and_field(rulebooks: Path, old: str, new: str, message: str) -> None:
    _break(rulebooks, ACS, old, new)
    with pytest.raises(ChipscreenError, match=message) as exc:
        load_registry(rulebooks, country_groups())
    assert "2023-11-17" in str(exc.value)


def test_a_number_without_citation_is_rejected(rulebooks: Path) -> None:
    _break(
        rulebooks,
        "2024-12-02-hbm-fdp.yaml",
        '    citation: {fr: 89 FR 96790, fr_doc: 2024-28270, cfr: "15 CFR 740.25", confidence: H}\n\nclassification',
        "\nclassification",
    )
    with pytest.raises(ChipscreenError, match="citation"):
        load_registry(rulebooks, country_groups())


# ------------------------------------------------------------------ one test per kind of problem
def test_a_missing_key_names_file_and_key(rulebooks: Path) -> None:
    err = _error(rulebooks, "    code: headquarters\n", "")
    assert isinstance(err, DataError)
    where = (str(rulebooks / ACS), "requirements.rs_headquarters_2023.code", "missing")
    assert (err.file, err.key, err.problem) == where
    assert str(err) == f"{rulebooks / ACS}: requirements.rs_headquarters_2023.code: missing"


def test_a_wrong_type_names_file_and_key(rulebooks: Path) -> None:
    err = _error(rulebooks, "    value: 4800\n", "    value: lots\n")
    assert str(err) == f"{rulebooks / ACS}: thresholds.tpp_a1.value: expected a number, got 'lots'"


def test_a_list_position_is_part_of_the_key(rulebooks: Path) -> None:
    err = _error(rulebooks, "notification: false}", "notification: sometimes}")
    assert err.key == "license_exceptions.NAC.where[0].notification"
    assert "valid boolean" in err.problem and "'sometimes'" in err.problem


def test_a_bad_date_names_file_and_key(rulebooks: Path) -> None:
    # quoted: PyYAML itself rejects an unquoted impossible date before the schema sees it
    err = _error(rulebooks, "compliance_from: 2025-05-15", 'compliance_from: "2025-15-05"',
                 "2025-01-15-ai-diffusion.yaml")
    assert err.file == str(rulebooks / "2025-01-15-ai-diffusion.yaml")
    assert err.key == "requirements.rs_worldwide_a_2025.compliance_from"
    assert err.problem == "not an ISO date (YYYY-MM-DD): '2025-15-05'"


def test_an_unknown_reference_names_file_and_key(rulebooks: Path) -> None:
    err = _error(rulebooks, "      b.1: {paragraph: 3A090.b, when: {all: [tpp_b1_low,",
                 "      b.1: {paragraph: 3A090.b, when: {all: [tpp_b1_lo,")
    assert str(err) == f"{rulebooks / ACS}: classification.ic.paragraphs.b.1.when.all[0]: unknown threshold 'tpp_b1_lo'"


def test_an_unknown_country_group_names_the_scope(rulebooks: Path) -> None:
    err = _error(rulebooks, "headquarters: {include: [D:5, Macau]}\n    destinations",
                 "headquarters: {include: [D:6]}\n    destinations")
    assert (err.key, err.problem) == (
        "requirements.rs_headquarters_2023.headquarters",
        "unknown country group or code 'D:6'",
    )


def test_an_unknown_key_is_not_silently_ignored(rulebooks: Path) -> None:
    detail = '    detail: "RS licence required to any'
    err = _error(rulebooks, detail, "    detial: x\n" + detail)
    assert (err.key, err.problem) == ("requirements.rs_destination_2023.detial", "unknown key")


def test_an_unknown_paragraph_code_is_rejected(rulebooks: Path) -> None:
    err = _error(rulebooks, "paragraphs: [3A090.a, 3A090.b, 4A090.a, 4A090.b]", "paragraphs: [3A090.a, 3A09O.b]")
    assert err.key == "requirements.rs_destination_2023.paragraphs[1]"
    assert err.problem.startswith("unknown ECCN paragraph '3A09O.b'")


def test_extends_naming_no_rulebook(rulebooks: Path) -> None:
    err = _error(rulebooks, "extends: 2023-01-17-macau", "extends: 2023-01-17-macao")
    assert (err.file, err.key, err.problem) == (str(rulebooks / ACS), "extends", "unknown rulebook '2023-01-17-macao'")


def test_the_cli_reports_file_and_key_without_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for entry in data_dir().iterdir():
        if entry.name != "rulebooks":
            (data / entry.name).symlink_to(entry)
    shutil.copytree(data_dir() / "rulebooks", data / "rulebooks")
    _break(data / "rulebooks", ACS, "    value: 4800\n", "    value: lots\n")
    env = {**os.environ, "CHIPSCREEN_DATA": str(data), "COLUMNS": "400", "NO_COLOR": "1"}
    res = subprocess.run(
        [sys.executable, "-m", "chipscreen", "rules", "list"], env=env, capture_output=True, text=True, check=False
    )
    assert res.returncode == 2
    assert f"{data / 'rulebooks' / ACS}: thresholds.tpp_a1.value: expected a number, got 'lots'" in res.stderr
    assert "Traceback" not in res.stderr


def test_every_shipped_rulebook_file_validates_on_its_own_where_it_stands_alone() -> None:
    """Root rulebooks are complete; the schema accepts them without any merging."""
    import yaml

    for path in sorted((data_dir() / "rulebooks").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if raw.get("extends"):
            continue
        try:
            RulebookSpec.model_validate(raw)
        except ValidationError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{path.name}: {exc}")
