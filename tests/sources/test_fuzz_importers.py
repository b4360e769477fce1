"""Every importer, fed the real sample files mutated (bytes flipped, inserted, deleted, cut, repeated): it
imports them or refuses them with ``file:line: field: problem`` rows, never a traceback, and a refused
file leaves the store as it was. Bounded: about 30 s for all of them (hypothesis, no shrinking database).

The official formats (OFAC's enhanced XML, the UN XML, trade.gov's CSL JSON) are cut from the real files in
``../shared/data`` to a few whole records, so that a mutation lands in a record rather than past the end.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipscreen.errors import ChipscreenError, InputError
from chipscreen.paths import data_dir
from chipscreen.sources import parse_file
from chipscreen.store import Store

LISTS = data_dir() / "lists"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from csl_json_shape import csv_rows, write_json  # noqa: E402  (the benchmark's writer: one home for the shape)

HEAD_BYTES = 12_000
"""Each sample is cut to its first bytes (mutations near the start reach the header and the first rows)."""
PARTIES = ('name,country,id\n"Shanghai SenseTime Intelligent Technology Co., Ltd.",China,\n'
           "Acme GmbH,DE,529900T8BM49AURSDO55\nБелый Медведь ООО,RU,\n北京智谱华章科技有限公司,CN,\n").encode()
FTM = (b'{"id": "ent-1", "schema": "Company", "properties": {"name": ["Huawei Technologies Co., Ltd."], '
       b'"country": ["cn"]}}\n{"id": "ent-2", "schema": "Person", "properties": {"name": ["Ren Zhengfei"]}}\n'
       b'{"id": "own-1", "schema": "Ownership", "properties": {"owner": ["ent-2"], "asset": ["ent-1"], '
       b'"percentage": ["1.01"]}}\n')


def _ofac_xml_sample() -> bytes:
    """The enhanced XML's header, China's country code, ZAHHAR (a relationship) and Megvii (a Chinese name)."""
    with zipfile.ZipFile(SHARED / "ofac" / "CONS_ENHANCED_2025-01.ZIP") as z:
        text = z.read("CONS_ENHANCED.XML").decode("utf-8")
    head = text[: text.index("<referenceValues>")]
    china = re.search(r'<referenceValue refId="11065">.*?</referenceValue>', text, re.S)
    people = [re.search(rf'<entity id="{i}">.*?</entity>', text, re.S) for i in (9647, 33091)]
    assert china and all(people)
    body = "\n".join(m.group(0) for m in people if m)
    return (f"{head}<referenceValues>\n{china.group(0)}\n</referenceValues>\n<entities>\n{body}\n"
            "</entities>\n</sanctionsData>\n").encode()


def _un_xml_sample() -> bytes:
    """The UN list's first three individuals (one with a low-quality alias) and its first entity."""
    text = (SHARED / "un" / "UN_consolidated_2026-02-27.xml").read_text(encoding="utf-8")
    third = 0
    for _ in range(3):
        third = text.index("</INDIVIDUAL>", third) + len("</INDIVIDUAL>")
    entity = re.search(r"<ENTITY>.*?</ENTITY>", text, re.S)
    assert entity
    return (text[:third] + "\n  </INDIVIDUALS>\n  <ENTITIES>\n" + entity.group(0)
            + "\n  </ENTITIES>\n</CONSOLIDATED_LIST>\n").encode()


def _csl_json_sample() -> bytes:
    rows = [r for _, r in zip(range(8), csv_rows(SHARED / "csl" / "consolidated_2022-04.csv"), strict=False)]
    out = Path(tempfile.mkdtemp()) / "csl.json"
    write_json(rows, out)
    data = out.read_bytes()
    shutil.rmtree(out.parent)
    return data


SAMPLES = {  # format -> (file name as the reader sees it, its bytes)
    "us-lists-json": ("bis_meu.json", (LISTS / "us_lists_2026-07" / "bis_meu.json").read_bytes()),
    "csl-csv": ("csl.csv", (LISTS / "csl_consolidated_2022-04.csv").read_bytes()[:HEAD_BYTES]),
    "ofac-csv": ("sdn.csv", (LISTS / "ofac" / "sdn_2021-07" / "sdn.csv").read_bytes()[:HEAD_BYTES]),
    "parties-csv": ("parties.csv", PARTIES),
    "ftm": ("entities.ftm.json", FTM),
    "ofac-xml": ("CONS_ENHANCED.XML", _ofac_xml_sample()),
    "un-xml": ("consolidated.xml", _un_xml_sample()),
    "csl-json": ("consolidated.json", _csl_json_sample()),
}
LOCATED = re.compile(r"^\S.*?(:\d+)?: ")

mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, HEAD_BYTES), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(0, HEAD_BYTES), st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("delete"), st.integers(0, HEAD_BYTES), st.integers(1, 400)),
    st.tuples(st.just("cut"), st.integers(0, HEAD_BYTES), st.just(0)),
    st.tuples(st.just("repeat"), st.integers(0, HEAD_BYTES), st.integers(1, 400)),
)


def mutate(data: bytes, steps: list[tuple[str, int, object]]) -> bytes:
    for kind, at, arg in steps:
        at = at % (len(data) + 1)
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ int(str(arg))]) + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + bytes(arg) + data[at:]  # type: ignore[call-overload]
        elif kind == "delete":
            data = data[:at] + data[at + int(str(arg)) :]
        elif kind == "cut":
            data = data[:at]
        elif kind == "repeat":
            data = data[:at] + data[at : at + int(str(arg))] * 3 + data[at:]
    return data


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    home = tmp_path_factory.mktemp("fuzz") / "home"
    with Store(home) as s:
        yield s


def _state(store: Store) -> tuple[object, ...]:
    return tuple(store.con.execute(f"SELECT count(*) FROM {t}").fetchone() or ()
                 for t in ("snapshots", "datasets", "entries", "names", "identifiers"))


def check_one(store: Store, folder: Path, fmt: str, data: bytes) -> None:
    name, _ = SAMPLES[fmt]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / name
    path.write_bytes(data)
    before = _state(store)
    try:
        parsed = parse_file(path, fmt=fmt, retrieved=dt.date(2026, 1, 1))
        store.load([parsed], note="fuzz")
    except InputError as exc:
        assert str(exc).startswith(str(folder)), str(exc)
        assert all(p.file == str(path) and (p.line is not None or p.field is None) for p in exc.problems), exc.problems
        assert _state(store) == before
    except ChipscreenError as exc:
        assert LOCATED.match(str(exc)), str(exc)
        assert _state(store) == before


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_a_mutated_sample_is_imported_or_refused_by_line(store: Store, tmp_path: Path, fmt: str) -> None:
    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.lists(mutation, min_size=1, max_size=4))
    def run(steps: list[tuple[str, int, object]]) -> None:
        check_one(store, tmp_path / "in", fmt, mutate(SAMPLES[fmt][1], steps))

    run()


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
@pytest.mark.parametrize("special", ["empty", "utf16", "zeros", "devzero"])
def test_what_is_not_a_list_file_is_refused_by_line(store: Store, tmp_path: Path, fmt: str, special: str) -> None:
    before = _state(store)
    if special == "devzero":
        path = Path("/dev/zero")
    else:
        path = tmp_path / SAMPLES[fmt][0]
        data = {"empty": b"", "utf16": SAMPLES[fmt][1][:2000].decode("utf-8", "replace").encode("utf-16"),
                "zeros": b"\x00" * 100_000}[special]
        path.write_bytes(data)
    with pytest.raises(ChipscreenError) as info:
        store.load([parse_file(path, fmt=fmt)])
    assert str(info.value).startswith(str(path)) and "Traceback" not in str(info.value)
    assert _state(store) == before


@pytest.mark.parametrize(("fmt", "name"), [("csl-json", "csl.json"), ("us-lists-json", "bis_meu.json")])
def test_a_json_list_with_a_byte_that_is_not_utf8_names_its_line(tmp_path: Path, fmt: str, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b'{"results": [\n' + b'  {"name": "Acme"},\n' * 400 + b'  {"name": "Bad \xe9 Corp"}\n]}\n')
    with pytest.raises(InputError, match=rf"{name}:402: text: not UTF-8 \(byte 0xe9 at column 17\)"):
        parse_file(path, fmt=fmt)


@pytest.mark.parametrize(("fmt", "entries"), [("ofac-xml", 2), ("un-xml", 4), ("csl-json", 8)])
def test_the_official_samples_as_cut_import_whole(tmp_path: Path, fmt: str, entries: int) -> None:
    name, data = SAMPLES[fmt]
    path = tmp_path / name
    path.write_bytes(data)
    assert parse_file(path, fmt=fmt).entry_count == entries
