"""What a name field carries after the name: an address, a site or a department, set aside.

Customer masters and invoices put more than the name in the name field: "China Electronics Technology Group
Corporation, 27 Wanshou Rd, Haidian District, Beijing 100846", "... Shanghai Representative Office",
"... (R&D Center)". Scored whole, the extra words are unpaired distinctive words and lose the party. Here the
tail is recognised from ``data/names/name_tails.yml`` (with rigour's address forms and the places of
``data/names/places.yml``), and the name that remains becomes a further reading of the query, whose
explanation names what was set aside. Listed names are never cut: a listed "X Beijing Representative
Office" stays that entry, and the query "X" does not tie with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rigour.data.addresses.data import FORMS

from chipscreen.names.abbreviations import expand_abbreviations
from chipscreen.names.keys import initials
from chipscreen.names.lexicon import load_table, positive_int, section, tables
from chipscreen.names.normalize import clean_text, normalize_name
from chipscreen.names.registered_names import parent_prefixes, without_parent
from chipscreen.names.scripts import HAN_RUN
from chipscreen.names.tokens import NormalizedName, named

__all__ = ["Tail", "normalize_query", "split_parent", "split_tail"]

TAILS_FILE = "name_tails.yml"
_LOOKAHEAD = 4
"""Words after a number within which a street word makes it an address ("27 Wanshou Middle Rd")."""
_WORD = re.compile(r"[^\w&#-]+")
_HASH_UNIT = re.compile(r"^#\d+-\d+$")  # "#13-01": a Singapore / Hong Kong unit number
_HAS_DIGIT = re.compile(r"\d")
_SPACED = re.compile(r"\S+")


@dataclass(frozen=True)
class Tail:
    """A name field cut in two: the name, what kind of tail followed it, and the tail as written."""

    head: str
    kind: str  # "address", "department or site", "place" or "attention line"
    tail: str


@dataclass(frozen=True)
class _Words:
    street: frozenset[str]
    area: tuple[tuple[str, ...], ...]
    unit: frozenset[str]
    number_prefix: frozenset[str]
    country: tuple[tuple[str, ...], ...]
    suffixes: tuple[tuple[str, ...], ...]
    places: frozenset[str]
    legal: frozenset[str]
    """Legal-form words that end a name (``name_ends``: "ltd", not the "Corporation" of a group's name)."""
    site_cities: frozenset[str]
    """Cities that, closing the field, name the site that placed the order (``site_cities``)."""
    markers: frozenset[str]
    """Words after which the field names a person or office to reach, not the party ("ATTN", "c/o")."""
    linking: frozenset[str]
    """Words that join a name to the place after them ("of", "in"): the place is then part of the name."""
    parent_after: tuple[tuple[str, ...], ...]
    """A parent's acronym written after a unit's name ("SB RAS"), longest first."""
    parent_before: tuple[tuple[str, ...], ...]
    """A parent's acronym written before a unit's name ("PLA")."""
    postcode_min_digits: int
    """Digits of the shortest postal code that closes an address (``postcode_min_digits``)."""
    suffixes_by_last: dict[str, tuple[tuple[str, ...], ...]]
    """``suffixes`` by their last word, in the same order: a query tests only the phrases its last word
    can end (most queries end with none, and testing all of them was a third of ``split_tail``)."""


def _with_rigour_forms(words: list[str]) -> frozenset[str]:
    """Each word with every spelling rigour's address forms give its group ("road" -> "rd")."""
    out = set(words)
    for key, forms in FORMS.items():
        group = {key.lower(), *(f.lower() for f in forms)}
        if group & out:
            out |= {g for g in group if g.isascii() and " " not in g}
    return frozenset(out)


def _phrases(words: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(_key_words(w)) for w in words}, key=len, reverse=True))


def _key_words(text: str) -> list[str]:
    return [w for w in _WORD.split(text.casefold()) if w]


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = load_table(TAILS_FILE)
    get = {k: [str(w) for w in section(raw, TAILS_FILE, k, list)]
           for k in ("street", "area", "unit", "number_prefix", "country", "org_suffixes", "linking", "markers",
                     "site_cities", "parent_after", "parent_before")}
    t = tables()
    suffixes = _phrases(get["org_suffixes"])
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for phrase in suffixes:
        if phrase:
            by_last.setdefault(phrase[-1], []).append(phrase)
    return _Words(
        street=_with_rigour_forms([w for w in get["street"] if " " not in w]) | {w for w in get["street"]},
        area=_phrases(get["area"]), unit=_with_rigour_forms(get["unit"]), number_prefix=frozenset(get["number_prefix"]),
        country=_phrases(get["country"]),
        suffixes=suffixes, places=t.places | frozenset(t.places_always),
        legal=frozenset(str(x) for x in section(raw, TAILS_FILE, "name_ends", list)),
        linking=frozenset(get["linking"]), site_cities=frozenset(get["site_cities"]),
        markers=frozenset(" ".join(_key_words(m)) for m in get["markers"]),
        parent_after=_phrases(get["parent_after"]), parent_before=_phrases(get["parent_before"]),
        postcode_min_digits=positive_int(raw, TAILS_FILE, "postcode_min_digits"),
        suffixes_by_last={k: tuple(v) for k, v in by_last.items()},
    )


def _starts_address(words: list[str], i: int, w: _Words) -> bool:
    """Does an address begin at word ``i``: a unit word and a number, "#13-01", a number and a street word
    soon after, or a comma part made of places, numbers and an area word."""
    word = words[i].replace(" ", "")
    nxt = words[i + 1] if i + 1 < len(words) else ""
    after = words[i + 2] if i + 2 < len(words) else ""
    if word in w.unit and (_HAS_DIGIT.search(nxt) or (nxt in w.unit and _HAS_DIGIT.search(after))):
        return True
    if _HASH_UNIT.match(word):
        return True
    if word in w.number_prefix and _HAS_DIGIT.search(nxt):
        i += 1
    elif not _HAS_DIGIT.search(word):
        return False
    return any(x in w.street for x in words[i + 1 : i + 1 + _LOOKAHEAD])


def _is_area_part(part: list[str], w: _Words) -> bool:
    """A comma part of an address with no street: "Haidian District", "Beijing 100846", "P.R. China"."""
    rest = list(part)
    found = False
    while rest:
        for phrase in (*w.area, *w.country):
            if tuple(rest[: len(phrase)]) == phrase:
                rest = rest[len(phrase) :]
                found = True
                break
        else:
            if rest[0] in w.places or rest[0].isdigit() or (found and len(rest) == 1):
                found = found or rest[0] in w.places
                rest = rest[1:]
            elif any(tuple(rest[1 : 1 + len(p)]) == p for p in w.area):
                rest = rest[1:]  # the name of the area: "Haidian" in "Haidian District"
            else:
                return False
    return found


def _suffix_start(words: list[str], w: _Words) -> int | None:
    """Where a site or department suffix (with the place before it) begins, if the words end with one: a
    number may follow it ("Fab 8", "Plant No. 2"), and a legal form before it ends the name, whatever site
    name stands between ("... Co Ltd Songshan Lake Base")."""
    end = len(words)
    while end > 1 and _HAS_DIGIT.search(words[end - 1]):
        end -= 1
    if end < len(words) and end > 1 and words[end - 1] in w.number_prefix:
        end -= 1
    if not end:
        return None
    for phrase in w.suffixes_by_last.get(words[end - 1], ()):
        n = len(phrase)
        if end > n and tuple(words[end - n : end]) == phrase:
            start = end - n
            while start > 1 and words[start - 1] in w.places:
                start -= 1
            if all(x in w.places for x in words[:start]):
                return None  # "Moscow Plant No. 5" is a name: a place alone is not one
            return _after_legal_form(words, start, w)
    return None


def _postcode_after_legal_form(words: list[str], w: _Words) -> int | None:
    """Just after the last legal form, when the field ends with a city and a postal code and words stand
    between: an address written without commas or a street word ("... Co. Ltd. Optics Valley East Lake High-tech
    Zone Wuhan 430075"). A legal form ends a company's name; what follows it up to a postal code is where
    the company sits."""
    if len(words) < 4 or not (words[-1].isdigit() and len(words[-1]) >= w.postcode_min_digits):
        return None
    start = _after_legal_form(words, len(words) - 1, w)
    if start >= len(words) - 1 or not any(x in w.places for x in words[start:-1]):
        return None  # the address names its city before the postal code
    return start


def _after_legal_form(words: list[str], start: int, w: _Words) -> int:
    """``start`` moved back to just after the last legal form before it, when one ends the name earlier."""
    for i in range(start - 1, 0, -1):
        if words[i] in w.legal:
            return i + 1 if i + 1 < start else start
    return start


def _field_words(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The field's words as written (their spans) and as the tables hold them (folded)."""
    spans = [(m.start(), m.end()) for m in _SPACED.finditer(text)]
    return spans, [" ".join(_key_words(text[a:b])) for a, b in spans]


def split_tail(text: str) -> Tail | None:
    """``text`` cut before an address or a department / site suffix, or None when it has neither."""
    w = _words()
    spans, words = _field_words(text)
    for i in range(1, len(words)):
        comma_part = text[spans[i - 1][0] : spans[i - 1][1]].endswith((",", ";"))
        if _starts_address(words, i, w) or (comma_part and _is_area_part(_part_words(text, spans, i), w)):
            return _cut(text, spans, _back_over_parts(text, spans, words, i, w), "address")
    start = _postcode_after_legal_form(words, w)
    if start is not None:
        return _cut(text, spans, start, "address")
    start = next((i for i in range(1, len(words)) if words[i] in w.markers), None)
    if start is not None:
        return _cut(text, spans, start, "attention line")
    start = _suffix_start([x for x in words], w)
    if start is not None:
        return _cut(text, spans, start, "department or site")
    start = _place_start(words, w)
    if start is not None:
        return _cut(text, spans, start, "place")
    return None


def split_parent(text: str) -> Tail | None:
    """``text`` without the acronym of a parent written after or before the unit's name ("... SB RAS",
    "PLA ..."), or None. Two words of the unit's name at least must remain: "RAS Institute" is a name."""
    w = _words()
    spans, words = _field_words(text)
    for phrase in w.parent_after:
        n = len(phrase)
        if len(words) >= n + 2 and tuple(words[-n:]) == phrase:
            return _cut(text, spans, len(words) - n, "parent")
    for phrase in w.parent_before:
        n = len(phrase)
        if len(words) >= n + 2 and tuple(words[:n]) == phrase:
            return Tail(text[spans[n][0] :].strip(), "parent", text[: spans[n - 1][1]].strip())
    return None


def _place_start(words: list[str], w: _Words) -> int | None:
    """Where the city that closes the field begins ("NESCOM Islamabad": the site of the party that placed the
    order), or None; only the cities of ``site_cities``, and never after a linking word ("... Bank of
    Karachi"). A Chinese city or a country stays with the name: Chinese groups name their subsidiaries and
    sibling units so ("SMIC Beijing", "National Supercomputing Center Tianjin"), and there the place decides
    between them; "Coalition for a Prosperous America" is a name."""
    starts: list[int] = []
    j = len(words)
    while j > 1:
        if words[j - 1] in w.places:
            j -= 1
        elif j > 2 and words[j - 2] + words[j - 1] in w.places:
            j -= 2
        else:
            break
        starts.append(j)
    for start in reversed(starts):
        head = words[:start]
        tail = words[start:]
        if ("".join(tail) in w.site_cities or all(x in w.site_cities for x in tail)) \
                and head[-1] not in w.linking and not all(x in w.places or x in w.linking for x in head):
            return start
    return None


def _back_over_parts(text: str, spans: list[tuple[int, int]], words: list[str], i: int, w: _Words) -> int:
    """``i`` moved back over the comma parts before it that carry an address word ("Hytera Tower, Hi-Tech
    Industrial Park North, Nanshan District"): a building or a park is written before the district. The
    first part, the name, always stays."""
    while True:
        ends = [k for k in range(i - 1) if text[spans[k][0] : spans[k][1]].endswith((",", ";"))]
        if not ends:
            return i
        start = ends[-1] + 1
        part = " ".join(words[start:i]).split()
        if not _has_address_word(part, w):
            return i
        i = start


def _has_address_word(part: list[str], w: _Words) -> bool:
    if any((x in w.unit or x in w.street) and len(x) > 2 for x in part):  # not rigour's "of" (office)
        return True
    return any(tuple(part[k : k + len(p)]) == p for p in w.area for k in range(len(part)))


def _part_words(text: str, spans: list[tuple[int, int]], i: int) -> list[str]:
    """The words of the comma part that starts at word ``i``."""
    out: list[str] = []
    for a, b in spans[i:]:
        piece = text[a:b]
        out.extend(_key_words(piece))
        if piece.endswith((",", ";")):
            break
    return out


def _cut(text: str, spans: list[tuple[int, int]], i: int, kind: str) -> Tail | None:
    head = text[: spans[i][0]].rstrip(" ,;-–(").strip()
    tail = text[spans[i][0] :].strip()
    if not any(ch.isalpha() for ch in head):
        return None
    if head.count("(") > head.count(")"):
        head = head.rsplit("(", 1)[0].strip()
    return Tail(head, kind, tail)


def normalize_query(text: str) -> list[NormalizedName]:
    """The readings of a query: those of ``normalize_name`` and, when the field carries an address or a
    department after the name, the readings of the name alone, noting what was set aside."""
    out = normalize_name(text)
    cleaned, _ = clean_text(text)
    forms: list[tuple[str, tuple[str, ...], str]] = [(cleaned, (), "")]
    expanded = expand_abbreviations(cleaned)
    if expanded is not None:
        note = f"abbreviations written out: {'; '.join(expanded.read)}"
        forms.append((expanded.text, (note,), "abbreviations written out"))
        _add_reading(out, text, expanded.text, (note,), "abbreviations written out")
    _without_own_acronym(out, text)
    head = cleaned.strip()
    # the parents are names in Chinese characters: only a query that starts with one reads the table
    cut = without_parent(head, parent_prefixes()) if HAN_RUN.match(head) else None
    if cut is not None:  # 中国航空工业集团公司西安航空计算技术研究所: the unit's own name follows its parent
        _add_reading(out, text, cut[1], (f"parent set aside: {cut[0]}",), "without parent")
    for form, notes, label in forms:
        for tail in (split_tail(form), split_parent(form)):
            if tail is not None:
                what = f"without {tail.kind}" + (f", {label}" if label else "")
                _add_reading(out, text, tail.head, (*notes, f"{tail.kind} set aside: {tail.tail}"), what)
    return out


def _without_own_acronym(out: list[NormalizedName], original: str) -> None:
    """"HIT Harbin Institute of Technology", "Nanjing University of Aeronautics and Astronautics NUAA": an
    acronym in capitals written before or after the name it abbreviates is the same name again; the name
    without it is a further reading."""
    first = out[0]
    toks = list(first.tokens)
    written = _WORD.split(original.strip())
    if len(toks) < 3 or not written:
        return
    for acro, rest, raw in ((toks[0], toks[1:], written[0]), (toks[-1], toks[:-1], written[-1])):
        if acro.role == "distinctive" and raw.isupper() and raw.casefold() == acro.text == initials(rest):
            note = f"acronym {raw} beside the name it abbreviates set aside"
            out.append(named(original, rest, list(first.legal_forms), (*first.notes, note), "without own acronym"))
            return


def _add_reading(out: list[NormalizedName], original: str, text: str, notes: tuple[str, ...], what: str) -> None:
    """The first reading of ``text`` appended to ``out`` as a further reading of ``original``."""
    for r in normalize_name(text)[:1]:
        if r.tokens:
            out.append(named(original, list(r.tokens), list(r.legal_forms), (*r.notes, *notes), what))
