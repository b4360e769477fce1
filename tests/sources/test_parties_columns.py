"""The column-at-a-time steps of a parties CSV give, value for value, what the per-value functions give: a file
loads to the same names and the same entity ids whichever way it is read."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from chipscreen.sources import parties_columns as columns
from chipscreen.sources.base import clean, entity_id, script_of

AWKWARD = [
    "Acme  Widgets\tLtd", "  -0- ", "-0-", "", "   ", "\u00a0Acme\u3000Corp\u2028", "İstanbul Kimya A.Ş.",
    "ＫＥＬＶＩＮ Ｋ Co", "Straße GmbH", "ΣΟΦΙΑ ΑΕ", "北京智谱华章科技有限公司", "Белый Медведь ООО", "Ⅻ Holdings",
    "ﬁne ﬂow Inc", "Café Noël S.A.", "123 456", "شركة الاتصالات", "a\x1cb\x85c", "x\u200by",
]


def test_clean_is_base_clean() -> None:
    assert columns.clean(pa.array(AWKWARD)).to_pylist() == [clean(v) for v in AWKWARD]


def test_arrow_reads_the_space_class_as_python_reads_str_isspace() -> None:
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    matched = pc.match_substring_regex(pa.array(chars), f"^{columns.PY_SPACE}$").to_pylist()
    assert [c for c, m in zip(chars, matched, strict=True) if m] == [c for c in chars if c.isspace()]


def test_entity_ids_are_base_entity_ids() -> None:
    names = [v for v in AWKWARD if clean(v)]
    countries = ["CN", None] * (len(names) // 2) + ["RU"] * (len(names) % 2)
    assert columns.entity_ids("DENY", pa.array(names), pa.array(countries)) == [
        entity_id("DENY", n, c) for n, c in zip(names, countries, strict=True)]


def test_scripts_are_base_scripts() -> None:
    names = [v for v in AWKWARD if clean(v)]
    assert columns.scripts(pa.array(names)).to_pylist() == [script_of(n) for n in names]


def test_lookup_calls_once_per_distinct_value() -> None:
    seen: list[str] = []

    def find(v: str) -> str | None:
        seen.append(v)
        return v.lower() if v != "ZZ" else None

    assert columns.lookup(pa.array(["CN", "ZZ", None, "CN"]), find).to_pylist() == ["cn", None, None, "cn"]
    assert seen == ["CN", "ZZ"]
