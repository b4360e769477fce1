"""The table of registered Chinese names: every row sourced, on the bundled list, indexed with its Pinyin, and
found by a screen in characters or in Pinyin with the row named in the explanation."""

from __future__ import annotations

from pathlib import Path

import pytest

from chipscreen.errors import DataError
from chipscreen.names.chinese_aliases import PINYIN_KIND, REGISTERED_KIND
from chipscreen.names.pinyin_words import pinyin_name
from chipscreen.names.registered_names import (
    TABLE_FILE,
    parent_prefixes,
    registered_names,
    table_path,
    without_parent,
)
from chipscreen.names.screener import Screener
from chipscreen.names.scripts import HAN_RUN
from chipscreen.store import Store

ROWS = registered_names()


def listed(store: Store, list_code: str) -> dict[str, set[str]]:
    """Primary name -> entity ids of one list of the bundled snapshot."""
    t = store.names_table(lists=[list_code])
    out: dict[str, set[str]] = {}
    for name, eid in zip(t.column("primary_name").to_pylist(), t.column("entity_id").to_pylist(), strict=True):
        out.setdefault(name, set()).add(eid)
    return out


def test_the_table_covers_at_least_300_entries_each_row_with_a_source() -> None:
    assert len({(r.list_code, r.entry) for r in ROWS}) >= 300
    for r in ROWS:
        assert r.source.strip() and r.checked.strip(), r
        assert HAN_RUN.search(r.name), r
        assert r.checked == "knowledge" or r.checked_file or r.checked.startswith("page: http"), r


def test_every_row_names_an_entry_of_the_bundled_list(bundled_store: Store) -> None:
    entries = {code: listed(bundled_store, code) for code in {r.list_code for r in ROWS}}
    missing = [(r.row, r.entry) for r in ROWS if r.entry not in entries[r.list_code]]
    assert missing == []


def test_rows_checked_against_a_file_are_in_that_file(shared: Path) -> None:
    checked = [r for r in ROWS if r.checked_file]
    assert len(checked) >= 40
    texts: dict[str, str] = {}
    for r in checked:
        path = r.checked_file
        assert path is not None
        if path not in texts:
            texts[path] = (shared / path).read_text(encoding="utf-8")
        assert (r.as_in_file or r.name) in texts[path], (r.row, r.name, path)


def test_every_registered_name_and_its_pinyin_is_indexed(screener: Screener, bundled_store: Store) -> None:
    indexed = {(row.list_code, row.entity_id, row.name): row for row in screener.index.rows}
    entries = listed(bundled_store, "EL")
    for r in ROWS:
        for eid in entries[r.entry]:
            chinese = indexed[(r.list_code, eid, r.name)]
            assert chinese.kind == REGISTERED_KIND and chinese.note == r.note()
            reading = pinyin_name(r.name)
            assert reading is not None
            pinyin = indexed[(r.list_code, eid, reading)]
            assert pinyin.kind in (PINYIN_KIND, REGISTERED_KIND, "alias", "primary")


def test_the_pinyin_of_every_chinese_name_on_the_lists_is_indexed(screener: Screener, bundled_store: Store) -> None:
    t = bundled_store.names_table()
    names = zip(t.column("list_code").to_pylist(), t.column("entity_id").to_pylist(), t.column("name").to_pylist(),
                strict=True)
    han = [(code, eid, name) for code, eid, name in names if name and HAN_RUN.search(name)]
    assert len(han) >= 6  # the NS-CMIC list writes six companies in characters
    indexed = {(row.list_code, row.entity_id, row.name) for row in screener.index.rows}
    for code, eid, name in han:
        assert (code, eid, pinyin_name(name)) in indexed, name


def _el_match(screener: Screener, query: str, entry: str) -> dict[str, object]:
    result = screener.screen(query).to_dict()
    top = result["matches"][0]["score"]
    found = [m for m in result["matches"] if m["list"] == "EL" and m["name"] == entry]
    assert found, (query, [(m["list"], m["name"], m["score"]) for m in result["matches"][:5]])
    match: dict[str, object] = found[0]
    assert match["hit"] and match["score"] == top, (query, match)
    return match


@pytest.mark.parametrize("entry", [  # entries whose listed name is not the Pinyin of the Chinese one
    "Semiconductor Manufacturing International Corporation (SMIC)",
    "Yangtze Memory Technologies Co., Ltd.",
    "National University of Defense Technology (NUDT)",
    "National Supercomputing Center Wuxi",
    "China Electronics Technology Group Corporation 14th Research Institute (CETC 14)",
    "Hangzhou Hikvision Digital Technology Co., Ltd.",
    "Megvii Technology",
    "Chinese Academy of Sciences Institute of Computing Technology",
])
def test_a_registered_name_in_characters_finds_its_entry_and_names_the_row(screener: Screener, entry: str) -> None:
    row = next(r for r in ROWS if r.entry == entry)
    match = _el_match(screener, row.name, entry)
    source = str(match["explanation"]["matched_name_source"])  # type: ignore[index]
    # the characters themselves, or their Pinyin reading at the same score: either names the row
    assert source in (row.note(), f"Pinyin reading of the {row.note()}")
    assert f"{TABLE_FILE} row {row.row}" in source and row.source in source


@pytest.mark.parametrize("entry", ["Huawei Technologies Co., Ltd.", "Beijing Zhipu Huazhang Technology Co., Ltd."])
def test_a_listed_name_that_is_the_pinyin_already_explains_a_match_on_the_characters(screener: Screener,
                                                                                     entry: str) -> None:
    """The list writes these in Pinyin: the characters meet the list's own name at the same score, and the
    explanation names the list's name (a tie keeps the first name found)."""
    row = next(r for r in ROWS if r.entry == entry)
    match = _el_match(screener, row.name, entry)
    assert match["score"] == 1.0


def test_pinyin_words_read_as_their_meaning_meet_a_listed_pinyin_name_directly(screener: Screener) -> None:
    """Huawei's listed name is already Pinyin: "Jishu" reads as Technologies and "Youxian Gongsi" as the legal
    form, so the list's own name matches and needs no table row to explain it."""
    match = _el_match(screener, "Huawei Jishu Youxian Gongsi", "Huawei Technologies Co., Ltd.")
    assert "matched_name_source" not in match["explanation"]  # type: ignore[operator]


@pytest.mark.parametrize(("query", "entry"), [
    ("Shenzhen Dajiang Chuangxin Keji Youxian Gongsi", "DJI"),
    ("Changjiang Cunchu Keji Youxian Zeren Gongsi", "Yangtze Memory Technologies Co., Ltd."),
    ("Zhongguo Dianzi Keji Jituan Gongsi 14 Yanjiusuo",
     "China Electronics Technology Group Corporation 14th Research Institute (CETC 14)"),
    ("Guojia Chaoji Jisuan Wuxi Zhongxin", "National Supercomputing Center Wuxi"),
    ("Zhongke Hanwuji Keji Gufen Youxian Gongsi", "Cambricon Technologies Corporation Limited"),
])
def test_the_pinyin_of_a_registered_name_finds_its_entry(screener: Screener, query: str, entry: str) -> None:
    match = _el_match(screener, query, entry)
    source = str(match["explanation"]["matched_name_source"])  # type: ignore[index]
    assert source.startswith("Pinyin reading of the registered Chinese name") and TABLE_FILE in source


def test_pinyin_meets_a_registered_name_whose_characters_a_known_word_straddles(screener: Screener) -> None:
    """龙芯中科技术: 科技 straddles 中科 and 技术; read 龙芯中 / 科技 / 术 it never met "Longxin Zhongke Jishu"."""
    match = _el_match(screener, "Longxin Zhongke Jishu Gufen Youxian Gongsi", "Loongson Technology")
    assert TABLE_FILE in str(match["explanation"]["matched_name_source"])  # type: ignore[index]


def test_the_pinyin_of_one_institute_does_not_hit_its_sibling(screener: Screener) -> None:
    result = screener.screen("Zhongguo Dianzi Keji Jituan Gongsi 13 Yanjiusuo").to_dict()
    hits = {m["name"] for m in result["matches"] if m["hit"] and m["list"] == "EL"}
    assert "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)" in hits
    assert "China Electronics Technology Group Corporation 14th Research Institute (CETC 14)" not in hits


GOOD = "list: EL\nrows:\n  - {entry: DJI, name: 深圳市大疆创新科技有限公司, source: a filing, checked: knowledge}\n"


@pytest.mark.parametrize(("text", "key", "problem"), [
    ("rows: []\n", "list", "expected the list code the entries are on (e.g. EL)"),
    ("list: EL\nrows: []\n", "rows", "expected a non-empty list of rows"),
    (GOOD.replace("source: a filing, ", ""), "rows[0].source", "missing or empty"),
    (GOOD.replace("source: a filing", "source: ' '"), "rows[0].source", "missing or empty"),
    (GOOD.replace("深圳市大疆创新科技有限公司", "SZ DJI"), "rows[0].name", "'SZ DJI' has no Chinese characters"),
    (GOOD.replace("checked: knowledge", "checked: verified"), "rows[0].checked",
     "expected 'knowledge', 'file: <path> (<record>)' or 'page: <url>', got 'verified'"),
    (GOOD.replace("checked: knowledge", "checked: knowledge, as_in_file: 深圳"), "rows[0].as_in_file",
     "only a string, and only on a row checked against a file"),
    (GOOD.replace("checked: knowledge", "checked: knowledge, sorce: x"), "rows[0].sorce",
     "unknown field (known: entry, name, source, checked, as_in_file)"),
])
def test_a_malformed_row_is_reported_with_file_key_and_problem(tmp_path: Path, text: str, key: str,
                                                               problem: str) -> None:
    path = tmp_path / TABLE_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        registered_names(path)
    assert (err.value.file, err.value.key, err.value.problem) == (str(path), key, problem)


def test_a_well_formed_table_reads_and_the_shipped_one_is_the_default(tmp_path: Path) -> None:
    path = tmp_path / TABLE_FILE
    path.write_text(GOOD, encoding="utf-8")
    (row,) = registered_names(path)
    assert (row.list_code, row.entry, row.row, row.checked_file) == ("EL", "DJI", 1, None)
    assert table_path().name == TABLE_FILE and registered_names() is registered_names()


@pytest.mark.parametrize(("query", "entry"), [
    ("国防科技大学", "National University of Defense Technology (NUDT)"),
    ("Guofang Keji Daxue", "National University of Defense Technology (NUDT)"),
])
def test_a_unit_written_without_its_parent_finds_the_row_that_has_the_parent(screener: Screener, query: str,
                                                                             entry: str) -> None:
    """The registered name is 中国人民解放军国防科技大学; customer records leave 中国人民解放军 out."""
    match = _el_match(screener, query, entry)
    source = str(match["explanation"]["matched_name_source"])  # type: ignore[index]
    assert "without its parent 中国人民解放军" in source and TABLE_FILE in source


def test_a_parent_is_left_out_only_where_a_name_remains() -> None:
    parents = parent_prefixes()
    assert without_parent("中国人民解放军国防科技大学", parents) == ("中国人民解放军", "国防科技大学")
    assert without_parent("中国科学院物理研究所", parents) == ("中国科学院", "物理研究所")
    assert without_parent("中国电子科技集团公司第十四研究所", parents) is None  # every group has a 14th
    assert without_parent("中国科学院大学", parents) is None  # 大学 alone is no name
    assert without_parent("华为技术有限公司", parents) is None


def test_a_parents_list_that_is_not_chinese_names_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "t.yml"
    bad.write_text("list: EL\nparents: [CETC]\n" + GOOD.split("\n", 1)[1], encoding="utf-8")
    parent_prefixes.cache_clear()
    try:
        with pytest.raises(DataError, match="parents"):
            parent_prefixes(bad)
    finally:
        parent_prefixes.cache_clear()


@pytest.mark.parametrize(("query", "entry"), [
    # the row has the unit's own name; the record writes its parent before it
    ("中国航空工业集团公司西安航空计算技术研究所", "Aeronautics Computing Technique Research Institute"),
    # a former registered name and a later one of the same party
    ("盛科网络(苏州)有限公司", "Suzhou Centec Communications Co., Ltd."),
    ("中国航空制造技术研究院", "Beijing Aeronautical Manufacturing Technology Research Institute"),
])
def test_a_unit_written_after_its_parent_or_under_a_former_name_finds_its_entry(screener: Screener, query: str,
                                                                               entry: str) -> None:
    match = _el_match(screener, query, entry)
    assert TABLE_FILE in str(match["explanation"]["matched_name_source"])  # type: ignore[index]
