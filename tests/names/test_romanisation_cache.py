"""The Wade-Giles tables cached beside the names index: read back equal to the derived ones, checked by their
hash, and a damaged or planted file removed and derived again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from chipscreen.names import romanisation, romanisation_cache


@pytest.fixture
def derived() -> Iterator[romanisation.Tables]:
    """The tables as pypinyin gives them; the module's own memo is restored after each test."""
    romanisation.tables.cache_clear()
    tables = romanisation.derive()
    yield tables
    romanisation.prime(tables)
    romanisation.tables.cache_clear()


def _cached(folder: Path) -> list[Path]:
    return sorted(folder.glob("wade-giles-*.json"))


def test_tables_written_once_read_back_equal(tmp_path: Path, derived: romanisation.Tables) -> None:
    romanisation_cache.prime(tmp_path)
    (path,) = _cached(tmp_path)
    written = path.stat().st_mtime_ns
    romanisation.prime(({"x": frozenset({"x"})}, frozenset(), 1))  # a stand-in, replaced by what is read
    romanisation_cache.prime(tmp_path)
    romanisation.tables.cache_clear()
    assert romanisation.tables() == derived
    assert path.stat().st_mtime_ns == written and _cached(tmp_path) == [path]
    assert romanisation.pinyin_spellings("tsetung") >= {"zedong"}


@pytest.mark.parametrize("damage", ["flip", "misfit"])
def test_a_damaged_or_planted_file_is_removed_and_derived_again(tmp_path: Path, derived: romanisation.Tables,
                                                                 damage: str) -> None:
    romanisation_cache.prime(tmp_path)
    (path,) = _cached(tmp_path)
    data = path.read_bytes()
    if damage == "flip":
        path.write_bytes(data[:100] + bytes([data[100] ^ 0x01]) + data[101:])
    else:  # a file whose name matches its content, but whose tables do not fit together
        doc = json.loads(data)
        doc["longest"] = 99
        planted = json.dumps(doc).encode()
        path.unlink()
        path = path.with_name(f"wade-giles-{romanisation_cache.key()}-{hashlib.sha256(planted).hexdigest()}.json")
        path.write_bytes(planted)
    romanisation.prime(derived)
    romanisation_cache.prime(tmp_path)
    romanisation.tables.cache_clear()
    assert romanisation.tables() == derived
    (again,) = _cached(tmp_path)
    assert again.read_bytes() == data  # removed, derived again and written whole


def test_a_warm_screen_imports_neither_pypinyin_pandas_nor_the_list_readers(tmp_path: Path) -> None:
    """Issue 14 item 19: what a warm command no longer pays for (each cost it half a second or more)."""
    import subprocess
    import sys

    from chipscreen.bundled import open_store
    from chipscreen.names.screener import Screener

    home = tmp_path / "home"
    with open_store(home) as store:
        Screener(store)  # warm: the index and the tables cached
    # pandas is made unimportable rather than looked for: DuckDB 1.x imports it, when it is installed, to bind
    # any query parameter (and does without it); a chipscreen module that needed it would fail the screen here
    probe = ("import sys; sys.modules['pandas'] = None\n"
             "from chipscreen.cli import main; sys.argv = ['chipscreen', 'screen', 'Mao Tse-tung', "
             f"'--home', {str(home)!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('pypinyin', 'chipscreen.sources.registry', 'chipscreen.sources.csl')"
             " if m in sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "MAO" in proc.stdout.upper(), proc.stderr[-2000:]
