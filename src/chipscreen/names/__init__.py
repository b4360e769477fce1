"""Name screening: find listed parties under the names they really appear as.

Two stages: ``index`` (blocking: a key index that never loses a plausible candidate, filed under the keys
of ``keys``) and ``score`` (the words paired by ``pairing`` as alike as ``similarity`` finds them, then the
rules of ``features`` and ``kinds``, every one explained), on names that
``normalize`` has folded, transliterated (pypinyin for Han), stripped of legal forms (rigour) and expanded
(trade abbreviations). ``screener`` puts them together against a store snapshot::

    from chipscreen.names import Screener
    result = Screener(store).screen("HUAWEI TECH CO LTD", country="CN")
    result.hit, result.matches[0].name, result.matches[0].explanation

Thresholds and weights are data: ``data/names/thresholds.yml``, typed by ``thresholds``. The hot-path
modules run compiled by mypyc when ``make native`` has built them from the current sources (``native``).
"""

from __future__ import annotations

from chipscreen.names import native

native.activate(__path__)  # the compiled engine, when built from these very sources (native.py)

from chipscreen.names.normalize import normalize_name  # noqa: E402
from chipscreen.names.score import Comparison, compare, compare_names  # noqa: E402
from chipscreen.names.screener import Match, Screener, ScreenResult, validate_name  # noqa: E402
from chipscreen.names.tokens import NormalizedName, Token  # noqa: E402

__all__ = [
    "Comparison",
    "Match",
    "NormalizedName",
    "ScreenResult",
    "Screener",
    "Token",
    "compare",
    "compare_names",
    "normalize_name",
    "validate_name",
]
