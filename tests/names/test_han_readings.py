"""Chinese names in characters read as names read them: a character's name reading, the words of
machine-building and life-science names, and the cities that begin listed Chinese names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chipscreen.errors import DataError
from chipscreen.names.han import READINGS_FILE, name_readings
from chipscreen.names.pinyin_words import pinyin_name
from chipscreen.names.score import compare_names
from chipscreen.names.tails import normalize_query
from chipscreen.names.thresholds import thresholds


@pytest.mark.parametrize(("name", "reading"), [
    ("苏州长风航空电子有限公司", "Suzhou Changfeng Hangkong Dianzi Youxian Gongsi"),  # pypinyin alone: "Zhangfeng"
    ("桂林长海发展有限责任公司", "Guilin Changhai Fazhan Youxian Zeren Gongsi"),
    ("长江存储科技有限责任公司", "Changjiang Cunchu Keji Youxian Zeren Gongsi"),  # already "chang": unchanged
])
def test_chang_is_read_as_names_read_it(name: str, reading: str) -> None:
    assert pinyin_name(name) == reading


@pytest.mark.parametrize(("query", "listed"), [
    ("桂林长海发展有限责任公司", "Guilin Changhai Development Co., Ltd."),
    ("西安航天自动化股份有限公司", "Xi'an Aerospace Automation Co., Ltd."),  # 自动化: automation
    ("北京擎科生物科技有限公司", "Beijing Qingke Biotechnology Co., Ltd."),  # 生物科技: biotechnology
])
def test_a_registered_name_in_characters_meets_the_listed_english_name(query: str, listed: str) -> None:
    assert compare_names(query, listed).score >= thresholds().hit


@pytest.mark.parametrize("city", ["Guilin", "Changzhou", "Baotou", "Baoding", "Luoyang", "Nantong", "Jiaxing"])
def test_the_cities_that_begin_listed_chinese_names_are_places(city: str) -> None:
    tokens = normalize_query(f"{city} Hengtong Technology Co Ltd")[0].tokens
    assert (tokens[0].text, tokens[0].role) == (city.lower(), "place")


@pytest.fixture
def readings_copy(names_copy: Path) -> Iterator[Path]:
    """A copy of data/names whose han_readings.yml a test may break."""
    name_readings.cache_clear()
    yield names_copy / READINGS_FILE
    name_readings.cache_clear()


@pytest.mark.parametrize("text", ["readings: [长]\n", "readings:\n  长江: chang\n", "readings:\n  长: cháng\n", "[]\n"])
def test_a_malformed_readings_table_names_file_and_key(readings_copy: Path, text: str) -> None:
    readings_copy.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        name_readings()
    assert err.value.file.endswith(READINGS_FILE) and err.value.key == "readings"
