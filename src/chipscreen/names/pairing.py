"""Which words of two names pair with which: the greedy assignment the score is computed from.

Words pair best first (by similarity, then position), each word once. Then, in this order: runs of
unpaired words joined against one word ("Hua Wei" / "Huawei"), a misspelt particle ("xal-Assad" /
"al-Assad"), initials against the words they start ("J." / "John": weak, so they wait until words have
paired), and a last word cut short by a field-length limit ("BELKASSEM DR" / "BELKASSEM DRISSI").
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from rapidfuzz.distance import OSA

from chipscreen.names.nicknames import nickname_words
from chipscreen.names.similarity import joined_text_similarity, word_similarity
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import Token

_TIGHT_SCRIPTS = frozenset({"Latin", "Han"})
_RUN_SPECIAL = frozenset({"Hangul", "Arabic", "Hebrew"})
"""Scripts for which a joined run can match a word of quite another length (Korean folding, Arabic and
Hebrew spellings): without them, a run and a word whose lengths differ by more than the joined similarity
floor allows cannot pair."""
_RUN_SIZES = (2, 3, 4)
"""Words in a joined run."""

_Candidate = tuple[float, int, int]  # (similarity, query word, listed word)


@dataclass
class Pair:
    """Words of the query and of the listed name that pair (one and one, or a run and one word)."""

    query: list[Token]
    listed: list[Token]
    similarity: float

    @property
    def weight(self) -> float:
        return sum((t.weight for t in self.query), 0.0) + sum((t.weight for t in self.listed), 0.0)


def pair_tokens(q: tuple[Token, ...], c: tuple[Token, ...]) -> tuple[list[Pair], list[int], list[int]]:
    """The pairs of two names' words, and the positions of the words left unpaired on each side."""
    cands, initials = _candidates(q, c)
    joined = _disjoint(_exact_runs(q, c, query_side=True) + _exact_runs(c, q, query_side=False))
    if joined:
        cands = _without_runs(cands, joined)
    pairs, free_q, free_c = _pair_greedily(q, c, cands)
    for run_q, run_c in joined:
        pairs.append(Pair([q[i] for i in run_q], [c[j] for j in run_c], 1.0))
        free_q = [i for i in free_q if i not in run_q]
        free_c = [j for j in free_c if j not in run_c]
    if free_q and free_c and (len(free_q) > 1 or len(free_c) > 1):
        # a run needs two free words on its side (``_pair_runs`` does nothing otherwise): the call is
        # left out when one side has a single free word, as it mostly has
        if len(free_q) > 1:
            _pair_runs(q, c, free_q, free_c, pairs, query_side=True)
        if len(free_c) > 1 and free_q:
            _pair_runs(c, q, free_c, free_q, pairs, query_side=False)
    if free_q and free_c and (any(q[i].role == "stop" for i in free_q) or any(c[j].role == "stop" for j in free_c)):
        _pair_particles(q, c, free_q, free_c, pairs)  # only a stop word on one side can be a particle
    if len(initials) > 1:
        initials.sort(key=lambda x: (-x[0], x[1], x[2]))
    for s, i, j in initials:
        if i in free_q and j in free_c:
            free_q.remove(i)
            free_c.remove(j)
            pairs.append(Pair([q[i]], [c[j]], s))
    if free_q and free_c and (free_q[-1] == len(q) - 1 or free_c[-1] == len(c) - 1):
        _pair_truncated(q, c, free_q, free_c, pairs)
    return pairs, free_q, free_c


def _exact_runs(a: tuple[Token, ...], b: tuple[Token, ...], query_side: bool
                ) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Latin words of ``a`` written apart that, joined, are exactly a word of ``b`` ("Hi Silicon" /
    "HiSilicon"; or joined as written, before abbreviations expand: "Bio-tech" / "Biotech"), paired before
    any word pairs alone: else "silicon" pairs loosely with "hisilicon" and the run is never tried. A word
    equal to a word of ``b`` stays a word. (query positions, listed positions)."""
    if len(a) < 2:
        return []
    words = {t.text: j for j, t in enumerate(b) if t.script == "Latin"}
    out: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    used: set[int] = set()
    for i in range(len(a) - 1):
        for n in (2, 3):
            run = a[i : i + n]
            if len(run) < n or i in used or any(t.script != "Latin" or t.text in words for t in run):
                continue
            j = words.get("".join(t.text for t in run))
            if j is None and any(t.raw != t.text for t in run):
                j = words.get("".join(t.raw for t in run))  # as written: "Bio-tech" / "Biotech"
            if j is not None:
                idx = tuple(range(i, i + n))
                used.update(idx)
                out.append((idx, (j,)) if query_side else ((j,), idx))
                break
    return out


def _disjoint(runs: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    seen_q: set[int] = set()
    seen_c: set[int] = set()
    out = []
    for run_q, run_c in runs:
        if seen_q.isdisjoint(run_q) and seen_c.isdisjoint(run_c):
            seen_q.update(run_q)
            seen_c.update(run_c)
            out.append((run_q, run_c))
    return out


def _without_runs(cands: list[_Candidate], joined: list[tuple[tuple[int, ...], tuple[int, ...]]]
                  ) -> list[_Candidate]:
    taken_q = {i for run_q, _ in joined for i in run_q}
    taken_c = {j for _, run_c in joined for j in run_c}
    return [x for x in cands if x[1] not in taken_q and x[2] not in taken_c]


def _candidates(q: tuple[Token, ...], c: tuple[Token, ...]) -> tuple[list[_Candidate], list[_Candidate]]:
    """Every pair of a query word and a listed word that scores above 0: word pairs, and pairs of an
    initial with a word (weak: they wait until words have paired and joined)."""
    cands: list[_Candidate] = []
    initials: list[_Candidate] = []
    ratio = thresholds().similarity.latin_length_ratio
    # token_similarity, inlined (this double loop runs for every candidate of every query)
    listed = [(j, b.text, b.role == "number" or b.script == "Han", b.script, len(b.text), b.script == "Latin")
              for j, b in enumerate(c)]
    nick_words = nickname_words()
    for i, a in enumerate(q):
        x, x_script = a.text, a.script
        x_plain = not (a.role == "number" or x_script == "Han")
        lx = len(x)
        x_one = lx == 1
        x_latin = x_script == "Latin" and x not in nick_words  # a nickname may be much shorter than its name
        for j, y, y_exact_only, y_script, ly, y_latin in listed:
            if x == y:
                s = 1.0
            elif x_plain and not y_exact_only:
                if x_latin and y_latin and not x_one and ly != 1 and min(lx, ly) < ratio * max(lx, ly):
                    continue  # word_similarity's own first test for two Latin words (0), without the memo
                s = word_similarity(x, x_script, y, y_script)
                if s <= 0.0:
                    continue
            else:
                continue
            (initials if x_one != (ly == 1) else cands).append((s, i, j))
    return cands, initials


def _pair_greedily(q: tuple[Token, ...], c: tuple[Token, ...], cands: list[_Candidate]
                   ) -> tuple[list[Pair], list[int], list[int]]:
    """Pairs best first, each word once; the words left free on each side, in order."""
    if len(cands) > 1:
        cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[Pair] = []
    for s, i, j in cands:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        pairs.append(Pair([q[i]], [c[j]], s))
    free_q = [i for i in range(len(q)) if i not in used_q]
    free_c = [j for j in range(len(c)) if j not in used_c]
    return pairs, free_q, free_c


def _pair_particles(q: tuple[Token, ...], c: tuple[Token, ...], free_q: list[int], free_c: list[int],
                    pairs: list[Pair]) -> None:
    """A misspelt particle ("xal-Assad" / "al-Assad") pairs as the particle it resembles."""
    p = thresholds().pairing
    for i in list(free_q):
        for j in list(free_c):
            a, b = q[i], c[j]
            stop, other = (a, b) if a.role == "stop" else (b, a)
            if ((a.role == "stop") != (b.role == "stop") and len(other.text) <= p.particle_max_chars
                    and stop.text in other.text and other.script == "Latin"
                    and OSA.normalized_similarity(a.text, b.text) >= p.particle_min_similarity):
                pairs.append(Pair([a], [b], p.particle))
                free_q.remove(i)
                free_c.remove(j)
                break


def _truncated(a: Token, b: Token) -> bool:
    """One word is the start of the other, cut by a field-length limit ("DR" / "DRISSI"); a name particle
    ("al" / "almuhaydib") is no such cut."""
    if a.role == "stop" or b.role == "stop":
        return False
    x, y = a.text, b.text
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    return len(short) >= thresholds().pairing.truncated_min_chars and long_.startswith(short) and not short.isdigit()


def _cut_by_a_field(q: tuple[Token, ...], c: tuple[Token, ...], a: Token, b: Token) -> bool:
    """The name holding the shorter word is long enough for a field to have cut it."""
    name = q if len(a.text) < len(b.text) else c
    return sum(len(t.raw) + 1 for t in name) - 1 >= thresholds().pairing.truncated_min_name_chars


def _pair_truncated(q: tuple[Token, ...], c: tuple[Token, ...], free_q: list[int], free_c: list[int],
                    pairs: list[Pair]) -> None:
    """A last word cut short by a field-length limit ("BELKASSEM DR" / "BELKASSEM DRISSI")."""
    i, j = free_q[-1], free_c[-1]
    if (i == len(q) - 1 or j == len(c) - 1) and _truncated(q[i], c[j]) and _cut_by_a_field(q, c, q[i], c[j]):
        pairs.append(Pair([q[i]], [c[j]], thresholds().pairing.truncated))
        free_q.remove(i)
        free_c.remove(j)


@lru_cache(maxsize=1)
def _run_ratio() -> tuple[float, int, int]:
    """The joined similarity floor, and the same as an exact fraction (numerator, denominator) for
    comparing integer lengths without rounding."""
    floor = thresholds().similarity.joined_min
    num, den = Fraction(repr(floor)).as_integer_ratio()
    return floor, num, den


def _runs_possible(many: tuple[Token, ...], one: tuple[Token, ...], free_many: list[int], free_one: list[int]
                   ) -> bool:
    """Whether any run of two or more consecutive free words could pair with a free word of the other side.

    Without Korean, Arabic or Hebrew words, a run and a word whose lengths differ by more than the joined
    similarity floor allows score 0 (``_best_run`` applies the same test to each pair): when even the
    shortest run is that much longer than the longest word, no pair is worth building. Most candidates
    end here (a person's given and family names are each far shorter than two of the other's names joined)."""
    shortest = 0
    prev = -2
    prev_len = 0
    for k in free_many:
        tok = many[k]
        if tok.script in _RUN_SPECIAL:
            return True
        n = len(tok.text)
        if k == prev + 1 and (shortest == 0 or prev_len + n < shortest):
            shortest = prev_len + n
        prev, prev_len = k, n
    if shortest == 0:
        return False  # no two free words are neighbours: there is no run
    longest = 0
    for j in free_one:
        tok = one[j]
        if tok.script in _RUN_SPECIAL:
            return True
        longest = max(longest, len(tok.text))
    floor, num, den = _run_ratio()
    return not (longest < floor * shortest and den * longest < num * shortest)


def _pair_runs(
    many: tuple[Token, ...], one: tuple[Token, ...], free_many: list[int], free_one: list[int],
    pairs: list[Pair], *, query_side: bool,
) -> None:
    """Join runs of consecutive unpaired words on one side to match a single unpaired word on the other."""
    if not _runs_possible(many, one, free_many, free_one):
        return
    while len(free_many) > 1 and free_one:
        best = _best_run(many, one, free_many, free_one)
        if best is None:
            return
        s, start_pos, size, j = best
        idx = free_many[start_pos : start_pos + size]
        run_toks = [many[k] for k in idx]
        pairs.append(Pair(run_toks, [one[j]], s) if query_side else Pair([one[j]], run_toks, s))
        del free_many[start_pos : start_pos + size]
        free_one.remove(j)


def _best_run(many: tuple[Token, ...], one: tuple[Token, ...], free_many: list[int], free_one: list[int]
              ) -> tuple[float, int, int, int] | None:
    """The best (similarity, start in ``free_many``, size, word of ``one``) of a run and a word, if any."""
    floor, num, den = _run_ratio()
    best: tuple[float, int, int, int] | None = None
    loose = False
    for k in free_many:
        if many[k].script not in _TIGHT_SCRIPTS:
            loose = True
            break
    else:
        for j in free_one:
            if one[j].script not in _TIGHT_SCRIPTS:
                loose = True
                break
    targets = [(j, one[j].text, len(one[j].text), one[j].script) for j in free_one]
    n_free = len(free_many)
    for start_pos in range(n_free - 1):  # a run has two words or more
        first = free_many[start_pos]
        run_len = len(many[first].text)
        plain = many[first].script not in _RUN_SPECIAL
        for size in _RUN_SIZES:
            # free_many is sorted and unique: the run is consecutive words when its ends are size - 1 apart
            last = first + size - 1
            if start_pos + size > n_free or free_many[start_pos + size - 1] != last:
                break
            run_len += len(many[last].text)
            plain = plain and many[last].script not in _RUN_SPECIAL
            run_text = ""
            run_scripts: frozenset[str] = frozenset()
            for j, target_text, target, target_script in targets:
                if not loose:
                    if min(run_len, target) < floor * max(run_len, target):
                        continue
                elif plain and target_script not in _RUN_SPECIAL and den * min(run_len, target) < num * max(
                        run_len, target):
                    # edit similarity is at most the length ratio, below the floor here (exact integers), and
                    # no other feature applies to these scripts: the pair scores 0
                    continue
                if not run_text:
                    run = many[first : last + 1]
                    run_text = "".join([t.text for t in run])
                    run_scripts = frozenset([t.script for t in run])
                s = joined_text_similarity(run_text, run_scripts, target_text, target_script)
                if s > 0 and (best is None or s > best[0]):
                    best = (s, start_pos, size, j)
    return best
