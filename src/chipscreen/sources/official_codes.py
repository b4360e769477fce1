"""The list codes the official XML lists' entries are stored under (``data/lists/official_xml_lists.yaml``).

Kept in data so that a list OFAC adds to its export is one line there, not a code change; a list name the
table does not know is a bad record (``file:line: sanctionsList: ...``), never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml

TABLE = Path("lists") / "official_xml_lists.yaml"


@dataclass(frozen=True)
class OfficialCodes:
    ofac_lists: dict[str, str]  # <sanctionsList> name -> list code
    ofac_publications: dict[str, frozenset[str]]  # an export's filter name -> the list codes it covers
    un_code: str


@lru_cache(maxsize=1)
def official_codes() -> OfficialCodes:
    path = data_dir() / TABLE
    raw = read_yaml(path)
    try:
        ofac, un = raw["ofac_enhanced_xml"], raw["un_consolidated_xml"]
        lists = {str(k): str(v) for k, v in ofac["lists"].items()}
        publications = {str(k): frozenset(str(c) for c in v) for k, v in ofac["publications"].items()}
        return OfficialCodes(lists, publications, str(un["code"]))
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(str(path), None, f"expected ofac_enhanced_xml.lists/publications and "
                        f"un_consolidated_xml.code ({exc!r})") from None
