"""The dirty-data set of bench_names_dirty.py: listed organisations' names written as customer data writes
them (docs/names.md §5, issue 12's kinds), and real companies on no list.

Generated deterministically from the bundled lists with a seed; nothing here is tuned to a single name.
Each writing rule below is generic (a trade-document abbreviation table, an address template, a typo
model), applied to entries drawn at random.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz
from rigour.names import remove_org_types

KINDS = ("exact", "no_legal_form", "abbreviation", "word_order", "spacing", "typo", "extra_words",
         "address", "pinyin", "chinese")
ORG_LISTS = ("EL", "MEU", "CMIC", "1260H", "UFLPA", "1286", "EO14032", "FCC", "WRO", "SDN", "DPL", "UVL")
_ORG_WORD = re.compile(r"\b(co|ltd|limited|inc|corp|corporation|company|llc|gmbh|group|technology|technologies|"
                       r"institute|university|academy|industr\w*|electronic\w*|systems?|center|centre|"
                       r"research|trading|semiconductor\w*|holdings?|jsc|ooo|bank|engineering)\b", re.I)
# trade-document abbreviations, as invoices and customs declarations write them
_ABBREV = {"technology": "TECH", "technologies": "TECHS", "international": "INTL", "company": "CO",
           "limited": "LTD", "corporation": "CORP", "industries": "INDS", "industrial": "IND",
           "electronics": "ELEC", "electronic": "ELEC", "development": "DEV", "holdings": "HLDGS",
           "semiconductor": "SEMICON", "manufacturing": "MFG", "equipment": "EQPT", "science": "SCI",
           "engineering": "ENG", "group": "GRP", "institute": "INST", "university": "UNIV",
           "research": "RES", "information": "INFO", "communication": "COMM", "communications": "COMMS",
           "systems": "SYS", "system": "SYS", "national": "NATL", "trading": "TRDG", "import": "IMP",
           "export": "EXP", "laboratory": "LAB", "center": "CTR", "academy": "ACAD", "and": "&"}
_CITIES = ["Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Hangzhou", "Chengdu", "Wuhan", "Tianjin",
           "Nanjing", "Xi'an", "Suzhou", "Hefei", "Moscow", "Dubai", "Singapore", "Hong Kong", "Tehran"]
_DISTRICTS = ["Haidian", "Chaoyang", "Nanshan", "Pudong New", "Futian", "Binhai New", "Xuhui", "Jiangning"]
_STREET_WORDS = ["Wanshou", "Zhongguancun", "Xueyuan", "Keji", "Gaoxin", "Zhangjiang", "Jianguo", "Renmin",
                 "Huayuan", "Changan", "Yuhua", "Anson", "Tverskaya", "Sheikh Zayed"]
_STREET_KINDS = ["Road", "Rd", "Rd.", "Street", "St.", "Avenue", "Ave", "Lu", "Dajie"]
_SUFFIXES = ["{city} Representative Office", "(R&D Center)", "Overseas Sales Dept", "Manufacturing Base",
             "{city} Branch", "({city} Branch)", "- Procurement Department", "({city} Site)",
             "Research and Development Center", "Sales Department", "({city} Office)", "{city} Factory"]
_PINYIN_MEANING_FORMS = ["Youxian Gongsi", "Youxian Zeren Gongsi", "Gufen Youxian Gongsi", "Co Ltd", ""]


@dataclass(frozen=True)
class Case:
    kind: str
    query: str
    source: str  # the listed name it was written from ("" for a negative)
    truth: frozenset[str]  # entity ids carrying that name


def key(name: str) -> str:
    """Names that are the same but for case, punctuation and legal form are one name: the entries that
    carry it are all right answers."""
    core = remove_org_types(name.casefold(), " ")
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", core) or re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", name.casefold())


def listed_orgs(rows: Iterable[dict[str, object]]) -> tuple[list[dict[str, object]], dict[str, set[str]]]:
    """Organisation names on the lists (with enough letters to write dirty), and each name's entries."""
    by_key: dict[str, set[str]] = {}
    orgs: list[dict[str, object]] = []
    for r in rows:
        name = str(r["name"])
        by_key.setdefault(key(name), set()).add(str(r["entity_id"]))
        if r["list_code"] in ORG_LISTS and r["kind"] != "weak" and _ORG_WORD.search(name) and len(name) >= 12:
            orgs.append(r)
    return orgs, by_key


def _case_noise(rng: random.Random, s: str) -> str:
    return rng.choice([s.upper(), s.lower(), s.title(), s])


def _words(s: str) -> list[str]:
    return s.split()


def w_exact(rng: random.Random, s: str) -> str | None:
    return _case_noise(rng, s)


def w_no_legal_form(rng: random.Random, s: str) -> str | None:
    out = " ".join(remove_org_types(s, " ").replace(" ,", ",").split()).strip(" ,.")
    return out if out and out.casefold() != s.casefold() else None


def w_abbreviation(rng: random.Random, s: str) -> str | None:
    ws = _words(s)
    idx = [i for i, w in enumerate(ws) if w.lower().strip(",.()") in _ABBREV]
    if not idx:
        return None
    for i in rng.sample(idx, k=min(len(idx), rng.randint(1, 3))):
        core = ws[i].lower().strip(",.()")
        ws[i] = ws[i].lower().replace(core, _ABBREV[core]).replace(",", ",").upper()
    return " ".join(ws).upper() if rng.random() < 0.7 else " ".join(ws)


def w_word_order(rng: random.Random, s: str) -> str | None:
    ws = _words(s.replace(",", ""))
    m = re.match(r"(?i)^(.*?)\b(institute|center|centre|academy|university|laboratory|school|college) of (.+)$", s)
    if m and rng.random() < 0.6:
        return f"{m.group(3)} {m.group(2)}".strip()
    if ws and ws[0].title() in {c.replace("'", "") for c in _CITIES} and len(ws) >= 3:
        return " ".join(ws[1:3]) + f" ({ws[0]}) " + " ".join(ws[3:])
    if len(ws) >= 3:
        i = rng.randrange(len(ws) - 1)
        ws[i], ws[i + 1] = ws[i + 1], ws[i]
        return " ".join(ws)
    return None


def w_spacing(rng: random.Random, s: str) -> str | None:
    ws = _words(s)
    choice = rng.randrange(4)
    if choice == 0 and len(ws) >= 2:  # two words run together
        i = rng.randrange(len(ws) - 1)
        return " ".join([*ws[:i], ws[i] + ws[i + 1], *ws[i + 2 :]])
    if choice == 1:  # punctuation dropped
        return re.sub(r"[.,()]", "", s)
    if choice == 2:  # a long word split
        long_ = [i for i, w in enumerate(ws) if len(w) >= 7 and w.isalpha()]
        if long_:
            i = rng.choice(long_)
            cut = rng.randint(3, len(ws[i]) - 3)
            ws[i] = ws[i][:cut] + " " + ws[i][cut:]
            return " ".join(ws)
    return re.sub(r"[\s,.]+", rng.choice(["-", ".", "_", ", "]), s).strip("-._, ")


def w_typo(rng: random.Random, s: str) -> str | None:
    chars = list(s)
    letters = [i for i, c in enumerate(chars) if c.isalpha()]
    if len(letters) < 8:
        return None
    for _ in range(rng.choice([1, 1, 2])):
        i = rng.choice(letters[1:-1])
        op = rng.randrange(4)
        if op == 0:
            chars[i] = ""
        elif op == 1:
            chars[i] = chars[i] + rng.choice("aeiounrst")
        elif op == 2:
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
        elif i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        letters = [j for j, c in enumerate(chars) if c.isalpha() and len(c) == 1]
    out = "".join(chars)
    return out if out != s else None


def w_extra_words(rng: random.Random, s: str) -> str | None:
    suffix = rng.choice(_SUFFIXES).format(city=rng.choice(_CITIES))
    return f"{s} {suffix}"


def w_address(rng: random.Random, s: str) -> str | None:
    city = rng.choice(_CITIES)
    street = f"{rng.choice(['No. ', ''])}{rng.randint(1, 399)} {rng.choice(_STREET_WORDS)} {rng.choice(_STREET_KINDS)}"
    parts = [street]
    if rng.random() < 0.4:
        parts.insert(0, rng.choice([f"Room {rng.randint(101, 2408)}",
                                    f"#{rng.randint(2, 30):02d}-{rng.randint(1, 12):02d}",
                                    f"Building {rng.randint(1, 12)}", f"P.O. Box {rng.randint(100, 9999)}",
                                    f"Floor {rng.randint(2, 40)}"]))
    if rng.random() < 0.6:
        parts.append(f"{rng.choice(_DISTRICTS)} District")
    parts.append(city + (f" {rng.randint(100000, 999999)}" if rng.random() < 0.6 else ""))
    if rng.random() < 0.5:
        parts.append(rng.choice(["China", "P.R. China", "PRC", "CN"]))
    return s + rng.choice([", ", " ", "; "]) + ", ".join(parts)


def pinyin_of(rng: random.Random, han: str) -> str:
    """A Han name as Hanyu Pinyin, with the syllables grouped into words the way registrations do, or
    joined / split at random."""
    syl = [x for x in lazy_pinyin(han) if x.strip()]
    words: list[str] = []
    i = 0
    while i < len(syl):
        n = 2 if i + 1 < len(syl) else 1
        words.append("".join(syl[i : i + n]))
        i += n
    mode = rng.randrange(3)
    if mode == 1:
        words = [s for s in syl]
    out = " ".join(w.capitalize() for w in words)
    if mode == 2:
        out = out.upper()
    return out


WRITERS: dict[str, Callable[[random.Random, str], str | None]] = {
    "exact": w_exact, "no_legal_form": w_no_legal_form, "abbreviation": w_abbreviation,
    "word_order": w_word_order, "spacing": w_spacing, "typo": w_typo, "extra_words": w_extra_words,
    "address": w_address,
}


def han_names(rows: Iterable[dict[str, object]], extra: Path | None) -> list[tuple[str, str]]:
    """(Han name, listed Latin name it stands for): the Han aliases of the lists, and the rows of a Chinese
    registered-name table when one is given (``--chinese-table``; CSV or YAML with ``chinese`` and
    ``name`` columns)."""
    out = [(str(r["name"]), str(r["primary_name"])) for r in rows if re.search(r"[\u4e00-\u9fff]", str(r["name"]))]
    if extra is not None and extra.exists():
        if extra.suffix == ".csv":
            with extra.open(encoding="utf-8") as fh:
                for r in csv.DictReader(line for line in fh if not line.startswith("#")):
                    if r.get("chinese") and r.get("name"):
                        out.append((r["chinese"], r["name"]))
        else:
            import yaml

            data = yaml.safe_load(extra.read_text(encoding="utf-8"))
            rows_ = data.get("entries", data) if isinstance(data, dict) else data
            for r in rows_ or []:
                if isinstance(r, dict) and r.get("chinese") and r.get("name"):
                    out.append((str(r["chinese"]), str(r["name"])))
    return list(dict.fromkeys(out))


def positives(rows: list[dict[str, object]], per_kind: int, seed: int, chinese_table: Path | None) -> list[Case]:
    rng = random.Random(seed)
    orgs, by_key = listed_orgs(rows)
    # China-based entries are weighed up: they are most of the Entity List's chip cases
    cn = [r for r in orgs if r["country"] in ("CN", "HK")]
    other = [r for r in orgs if r["country"] not in ("CN", "HK")]
    cases: list[Case] = []
    for kind, write in WRITERS.items():
        got = 0
        tries = 0
        while got < per_kind and tries < per_kind * 20:
            tries += 1
            r = rng.choice(cn) if rng.random() < 0.6 else rng.choice(other)
            src = str(r["name"])
            q = write(rng, src)
            if q:
                cases.append(Case(kind, q, src, frozenset(by_key[key(src)])))
                got += 1
    for han, latin in han_names(rows, chinese_table):
        truth = by_key.get(key(latin)) or by_key.get(key(han))
        if not truth:
            continue
        truth = truth | by_key.get(key(han), set())
        for q in {han, re.sub("(股份)?有限(责任)?公司$", "", han)}:
            cases.append(Case("chinese", q, han, frozenset(truth)))
        for _ in range(2):
            py = pinyin_of(rng, re.sub("(股份)?有限(责任)?公司$", "", han))
            form = rng.choice(_PINYIN_MEANING_FORMS) if han.endswith("公司") else ""
            cases.append(Case("pinyin", f"{py} {form}".strip(), han, frozenset(truth)))
    return cases


def negative_names(shared: Path) -> list[tuple[str, str]]:
    """(name, source) of real companies: GLEIF's sample of LEI records and the organisations of China's own
    lists (MOFCOM's Unreliable Entity List, Export Control Watchlist and Attention List; the countermeasures
    table). Japan's METI End User List is not used: it names the same parties as the US lists."""
    out: list[tuple[str, str]] = []
    with (shared / "ownership" / "gleif-lei-cdf-sample-2019.csv").open(encoding="utf-8") as fh:
        out += [(r["Entity.LegalName"], "GLEIF") for r in csv.DictReader(fh) if r.get("Entity.LegalName")]
    mofcom = json.loads((shared / "cn" / "cn_mofcom_lists_2026-07.json").read_text(encoding="utf-8"))
    out += [(str(rec["entity_name"]), "MOFCOM") for rec in _records(mofcom)
            if isinstance(rec.get("entity_name"), str) and rec.get("entity_type") == "organization"]
    with (shared / "cn" / "cn_countermeasures_opensanctions.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            n = r.get("Name") or ""
            if n and n.isascii() and r.get("Type") in ("Organization", "Company"):
                out.append((n, "CN countermeasures"))
    by_name = {" ".join(n.split()): s for n, s in reversed(out) if len(n) >= 6}
    return sorted(by_name.items())


def _records(data: object) -> list[dict[str, object]]:
    if isinstance(data, list):
        return [x for x in data if isinstance(x, dict)]
    if isinstance(data, dict):
        for v in data.values():
            got = _records(v)
            if got:
                return got
    return []


def negatives(rows: list[dict[str, object]], shared: Path, limit: int, seed: int) -> tuple[list[Case], int]:
    """Real companies on no list: a name is left out when its name without legal form (and without a
    bracketed part) is, by token sort ratio >= 90, any listed name without legal form, or holds every word
    of a listed name of two words or more (the same party, or too close to tell). Companies that share a
    word with a listed name are kept first: those are the ones that raise false alerts."""
    listed = {" ".join(re.findall("[0-9a-z]+", remove_org_types(str(r["name"]).casefold(), " "))) for r in rows}
    listed.discard("")
    listed_words = {w for n in listed for w in n.split() if len(w) > 3}
    rng = random.Random(seed + 1)
    cands = negative_names(shared)
    rng.shuffle(cands)
    from rapidfuzz import process

    choices = sorted(listed)
    multi = [frozenset(n.split()) for n in choices if len(n.split()) >= 2]
    kept: list[tuple[int, Case]] = []
    dropped = 0
    for name, src in cands:
        core = " ".join(remove_org_types(re.sub(r"\(.*?\)", " ", name.casefold()), " ").split())
        if (not core or process.extractOne(core, choices, scorer=fuzz.token_sort_ratio, score_cutoff=90)
                or _holds_listed(core, multi)):
            dropped += 1
            continue
        shares = sum(1 for w in core.split() if w in listed_words)
        kept.append((-shares, Case("negative:" + src, name, "", frozenset())))
    kept.sort(key=lambda x: x[0])
    return [c for _, c in kept[:limit]], dropped


def _holds_listed(core: str, multi: list[frozenset[str]]) -> bool:
    words = set(re.findall(r"[0-9a-z]+", core))
    return any(m <= words for m in multi)
