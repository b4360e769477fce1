"""The names index cache: plain columns read back identically, checked by content hash, never executed,
never left half-written."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import chipscreen
from chipscreen.names import index_cache
from chipscreen.names import screener as screener_mod
from chipscreen.names.index_arrays import LazyPostings, LazyRows, decode, encode
from chipscreen.names.screener import Screener
from chipscreen.sources.base import ParsedDataset, build_entry
from chipscreen.store import Store

NAMES = ("Theodore Doe", "ABD AL-RAHMAN MUSTAFA", "Huawei Technologies Co., Ltd.", "Xi Jinping",
         "Chiang Ching-kuo", "科大讯飞股份有限公司", "Sugon Information Industry Co., Ltd.", "OOO Rostec 2")


@pytest.fixture
def small_home(tmp_path: Path) -> Iterator[Path]:
    """A store holding a few names of several scripts (an index that builds in a moment)."""
    entries = [build_entry(source="test", list_code="SDN", name=n, country="CN" if i % 2 else None,
                           aliases=[n.upper() + " GROUP"])
               for i, n in enumerate(NAMES)]
    ds = ParsedDataset(name="p.json", format="parties-csv", path="p.json", sha256="2" * 64,
                       retrieved=dt.date(2025, 1, 1), entries=entries)
    home = tmp_path / "home"
    with Store(home) as store:
        store.load([ds])
    screener_mod._INDEX_CACHE.clear()
    yield home
    screener_mod._INDEX_CACHE.clear()


def _screen_all(home: Path) -> list[dict[str, object]]:
    screener_mod._INDEX_CACHE.clear()  # as a new process would start
    with Store(home) as store:
        s = Screener(store)
        return [s.screen(q, date=dt.date(2026, 1, 1)).to_dict() for q in (*NAMES, "Hua Wei Tech", "Ted Doe")]


def test_an_index_read_back_from_its_columns_equals_the_built_one(bundled_store: Store) -> None:
    built = Screener(bundled_store).index
    back = decode(encode(built))
    assert len(back) == len(built)
    assert [back.rows[i] for i in range(0, len(built), 7)] == built.rows[::7]
    assert all(back.postings.get(k) == built.postings[k] for k in list(built.postings)[::97])
    assert back.postings.get("no such key") is None and len(back.postings) == len(built.postings)
    assert back.identifiers == built.identifiers
    assert (back.weights == built.weights).all() and (back.list_codes == built.list_codes).all()


def test_rows_loaded_all_at_once_equal_the_built_ones(bundled_store: Store) -> None:
    built = Screener(bundled_store).index
    rows = decode(encode(built)).rows
    assert isinstance(rows, LazyRows)
    wanted = [*range(3, len(built), 5), 3, len(built) - 1]
    rows.load(wanted)
    assert set(rows.memo) == set(wanted)
    assert [rows[i] for i in wanted] == [built.rows[i] for i in wanted]
    assert any(built.rows[i].normalized.numbers for i in wanted) and any(built.rows[i].note for i in wanted)
    assert any(built.rows[i].normalized.legal_forms for i in wanted)
    with pytest.raises(IndexError):
        rows.load([len(built)])


def test_a_read_back_index_finds_the_same_rows_once_a_bulk_run_has_built_its_key_table(bundled_store: Store) -> None:
    built = Screener(bundled_store).index
    postings = decode(encode(built)).postings
    filed = list(built.postings)[::89]
    unfiled = [k + "\u00a7" for k in filed[:2000]] + ["t:nosuchword", "d:", ""]
    lazy = [postings.get(k) for k in filed + unfiled]
    assert isinstance(postings, LazyPostings) and postings.table is None
    postings.memo.clear()
    postings.build_table()
    assert [postings.get(k) for k in filed + unfiled] == lazy
    assert lazy[: len(filed)] == [built.postings[k] for k in filed] and not any(lazy[len(filed) :])
    assert postings.get("t:nosuchword", "absent") == "absent"


def test_the_first_keys_are_searched_without_the_filter_and_find_the_same_rows(bundled_store: Store) -> None:
    built = Screener(bundled_store).index
    postings = decode(encode(built)).postings
    assert isinstance(postings, LazyPostings)
    keys = list(built.postings)
    filed = keys[:: len(keys) // 800]
    unfiled = [k + "\u00a7" for k in filed[:300]] + ["t:nosuchword", ""]
    few = [postings.get(k) for k in filed + unfiled]
    assert postings.filter is None, "a command's few keys must not build the presence filter"
    postings.memo.clear()
    postings.asked = 10**9  # as a long run: the filter and the hash list are built
    assert [postings.get(k) for k in filed + unfiled] == few and postings.filter is not None
    assert few[: len(filed)] == [built.postings[k] for k in filed] and not any(few[len(filed) :])


def test_the_cache_is_written_once_and_a_new_process_screens_the_same(small_home: Path) -> None:
    first = _screen_all(small_home)
    (path,) = index_cache.cache_files(small_home / "cache")
    written = path.stat().st_mtime_ns
    assert _screen_all(small_home) == first
    assert path.stat().st_mtime_ns == written  # read, not rebuilt
    assert not list((small_home / "cache").glob("*.tmp*"))


@pytest.mark.parametrize("damage", ["truncate", "flip", "planted_pickle"])
def test_a_damaged_or_planted_cache_is_rebuilt_never_executed(small_home: Path, tmp_path: Path, damage: str) -> None:
    first = _screen_all(small_home)
    (path,) = index_cache.cache_files(small_home / "cache")
    marker = tmp_path / "pwned"
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        path.write_bytes(data[:500] + bytes([data[500] ^ 0xFF]) + data[501:])
    else:  # a pickle that would run code, under a name whose hash matches it
        payload = pickle.dumps(_Exploit(str(marker)))
        path.unlink()
        stem = path.name.rsplit("-", 1)[0]
        path = path.with_name(f"{stem}-{__import__('hashlib').sha256(payload).hexdigest()}.arrow")
        path.write_bytes(payload)
        (small_home / "cache" / (stem + ".pickle")).write_bytes(payload)
    assert _screen_all(small_home) == first
    assert not marker.exists() and not list((small_home / "cache").glob("*.pickle"))
    (again,) = index_cache.cache_files(small_home / "cache")
    assert index_cache.load(again) is not None  # rebuilt whole


class _Exploit:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_the_cache_key_reads_every_names_module_and_table(bundled_store: Store,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Any module of the names package may shape a token, a key or a bound, and any table a token: an index
    built before one of them changed must never be read."""
    import chipscreen.names
    from chipscreen import dates, territories
    from chipscreen.names import native
    from chipscreen.paths import data_dir

    read: list[Path] = []
    original = Path.read_bytes

    def recording(self: Path) -> bytes:
        read.append(self.resolve())
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", recording)
    index_cache.key(bundled_store.snapshot(None).id, None)
    package = Path(chipscreen.names.__file__).resolve().parent
    # a compiled module stands for its source (names/native.py); mypyc's shared library has none
    loaded = {native.source(m) if name.startswith("chipscreen.names.") else Path(m.__file__).resolve()
              for name, m in list(sys.modules.items())
              if name.startswith("chipscreen.names") and getattr(m, "__file__", None)
              and name != native.GROUP + "__mypyc"}
    expected = {*package.rglob("*.py"), *(p.resolve() for p in (data_dir() / "names").glob("*.yml")), *loaded}
    assert expected - set(read) == set()
    assert Path(dates.__file__).resolve() in read
    assert Path(territories.__file__).resolve() in read and territories.TABLE_PATH.resolve() in read


_CHILD = """
import sys, resource
from pathlib import Path
from chipscreen.store import Store
from chipscreen.names import index_cache
from chipscreen.names.index import NameIndex
home, mode = Path(sys.argv[1]), sys.argv[2]
store = Store(home, read_only=True)
sid = store.snapshot().id
if mode == "fsize":
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    index_cache.load_or_build(store, sid, None)
    print("screened", flush=True)
else:
    index = NameIndex.from_tables(store.names_table(sid), store.identifiers_table(sid))
    stem = "names-index-" + sid[:16] + "-" + index_cache.key(sid, None)
    print("ready", flush=True)
    while True:
        index_cache.save(index, home / "cache", stem)
"""


def _child(home: Path, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(chipscreen.__file__).resolve().parents[1])}
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(home), mode], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_write_cut_short_by_the_file_size_limit_leaves_no_temporary_file(small_home: Path) -> None:
    proc = _child(small_home, "fsize")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "screened" in out
    left = [p.name for p in (small_home / "cache").glob("*")]
    assert not [n for n in left if n.startswith("names-index-") or ".tmp" in n]  # neither a cache nor a .tmp
    assert all(n.startswith("pinyin-readings-") for n in left)  # only a file small enough for the limit, whole


def test_kill_9_while_the_cache_is_written_leaves_a_cache_that_works(small_home: Path) -> None:
    expected = _screen_all(small_home)
    for f in (small_home / "cache").glob("*"):
        f.unlink()
    rng = random.Random(14)
    for _ in range(6):
        proc = _child(small_home, "loop")
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        for path in index_cache.cache_files(small_home / "cache"):
            assert index_cache.load(path) is not None  # complete files only, under the final name
    assert _screen_all(small_home) == expected
    with Store(small_home) as store:  # the next write removes what killed writers left
        sid = store.snapshot().id
        index_cache.save(Screener(store).index, small_home / "cache", f"names-index-{sid[:16]}-x")
    assert not list((small_home / "cache").glob("*.tmp*"))


def test_a_build_says_so_on_stderr_and_a_cached_read_is_silent(small_home: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14 item 19: the first command on a home works for seconds; it says what it does (where a person
    watches: a terminal, or CHIPSCREEN_PROGRESS=1), and a warm command adds nothing to the output."""
    monkeypatch.setenv("CHIPSCREEN_PROGRESS", "1")
    _screen_all(small_home)
    first = capsys.readouterr()
    assert "building the names index of snapshot" in first.err and "once per snapshot" in first.err
    assert "done in" in first.err and first.out == ""
    _screen_all(small_home)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("CHIPSCREEN_PROGRESS", "0")
    for f in (small_home / "cache").glob("*"):
        f.unlink()
    _screen_all(small_home)
    assert capsys.readouterr().err == ""
