"""Chinese names written out in Pinyin words, as customer records spell them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from chipscreen.errors import DataError
from chipscreen.names import pinyin_words
from chipscreen.names.chinese_aliases import NOTE_COLUMN, PINYIN_KIND, REGISTERED_KIND, with_chinese_aliases
from chipscreen.names.lexicon import names_data_dir, tables
from chipscreen.names.pinyin_words import WORDS_FILE, han_numeral_value, pinyin_name, segmentation_words
from chipscreen.names.registered_names import RegisteredName


@pytest.mark.parametrize(("name", "reading"), [
    ("深圳市大疆创新科技有限公司", "Shenzhen Dajiang Chuangxin Keji Youxian Gongsi"),  # the example
    ("长江存储科技有限责任公司", "Changjiang Cunchu Keji Youxian Zeren Gongsi"),
    ("中科寒武纪科技股份有限公司", "Zhongke Hanwuji Keji Gufen Youxian Gongsi"),  # three unknown characters: one word
    ("中国电子科技集团公司第十四研究所", "Zhongguo Dianzi Keji Jituan Gongsi 14 Yanjiusuo"),  # ordinal as a number
    ("阿克苏地区公安局", "Akesu Diqu Gonganju"),  # cut at the words of pinyin_cuts.yml
    ("摩尔线程智能科技（北京）有限责任公司", "Moer Xiancheng Zhineng Keji Beijing Youxian Zeren Gongsi"),
    ("商湯集團有限公司", "Shangtang Jituan Youxian Gongsi"),  # traditional characters
    ("华为 Huawei", "Huawei Huawei"),  # other text is kept
])
def test_a_chinese_name_is_written_in_pinyin_words(name: str, reading: str) -> None:
    assert pinyin_name(name) == reading


def test_a_name_without_chinese_characters_has_no_pinyin_reading() -> None:
    assert pinyin_name("Huawei Technologies Co., Ltd.") is None


@pytest.mark.parametrize(("text", "value"), [
    ("十", 10), ("十四", 14), ("二十", 20), ("二十八", 28), ("一百零五", 105), ("七二二", 722), ("58", 58),
    ("", None), ("十x", None),
])
def test_chinese_numerals_read_as_their_value(text: str, value: int | None) -> None:
    assert han_numeral_value(text) == value


@pytest.fixture
def words_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of data/names whose pinyin_cuts.yml a test may break."""
    shutil.copytree(names_data_dir(), tmp_path / "names")
    monkeypatch.setenv("CHIPSCREEN_DATA", str(tmp_path))
    yield tmp_path / "names" / WORDS_FILE
    monkeypatch.delenv("CHIPSCREEN_DATA")
    tables.cache_clear()


@pytest.mark.parametrize(("text", "key", "problem"), [
    ("word: [地区]\n", "words", "expected a list of Chinese words"),
    ("words: [地区, Diqu]\n", "words[1]", "expected a word of 2 to 8 Chinese characters, got 'Diqu'"),
])
def test_a_malformed_words_table_names_file_and_key(words_copy: Path, text: str, key: str, problem: str) -> None:
    words_copy.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        segmentation_words()
    assert (err.value.file, err.value.key, err.value.problem) == (str(words_copy), key, problem)


def test_the_shipped_words_table_reads() -> None:
    assert {"地区", "公安局"} <= segmentation_words()
    assert pinyin_words.WORDS_FILE == "pinyin_cuts.yml"


def names_table(rows: list[tuple[str, str, str, str]]) -> pa.Table:
    return pa.table({
        "entity_id": [r[0] for r in rows], "list_code": [r[1] for r in rows], "name": [r[2] for r in rows],
        "kind": ["primary" if r[2] == r[3] else "alias" for r in rows], "primary_name": [r[3] for r in rows],
    })


def test_registered_names_and_pinyin_readings_join_the_names_table() -> None:
    table = names_table([("e1", "EL", "DJI", "DJI"), ("e2", "CMIC", "依图科技有限公司", "Yitu Limited"),
                         ("e2", "CMIC", "Yitu Limited", "Yitu Limited")])
    reg = RegisteredName("EL", "DJI", "深圳市大疆创新科技有限公司", "a filing", "knowledge", None, 7)
    out = with_chinese_aliases(table, [reg, RegisteredName("EL", "Not Listed", "华为", "x", "knowledge")])
    added = out.slice(table.num_rows).to_pylist()
    assert [(r["entity_id"], r["name"], r["kind"]) for r in added] == [
        ("e1", "深圳市大疆创新科技有限公司", REGISTERED_KIND),
        ("e1", "Shenzhen Dajiang Chuangxin Keji Youxian Gongsi", PINYIN_KIND),
        ("e2", "Yitu Keji Youxian Gongsi", PINYIN_KIND),
    ]
    assert added[0][NOTE_COLUMN] == reg.note() and "row 7, source a filing" in reg.note()
    assert added[1][NOTE_COLUMN].startswith("Pinyin reading of the registered Chinese name 深圳市大疆创新科技有限公司")
    assert added[2][NOTE_COLUMN] == "Pinyin reading of the listed name 依图科技有限公司"
    assert out.slice(0, table.num_rows).column(NOTE_COLUMN).null_count == table.num_rows


def test_a_name_the_entry_already_has_is_not_added_again() -> None:
    table = names_table([("e1", "EL", "DJI", "DJI"), ("e1", "EL", "深圳市大疆创新科技有限公司", "DJI")])
    reg = RegisteredName("EL", "DJI", "深圳市大疆创新科技有限公司", "a filing", "knowledge")
    added = with_chinese_aliases(table, [reg]).slice(table.num_rows).to_pylist()
    assert [r["name"] for r in added] == ["Shenzhen Dajiang Chuangxin Keji Youxian Gongsi"]


def test_a_bare_list_of_names_is_left_as_it_is() -> None:
    bare = pa.table({"name": ["华为"]})
    assert with_chinese_aliases(bare) is bare
