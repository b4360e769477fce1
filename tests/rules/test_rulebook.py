"""Rulebooks as dated data: which version is in force on a date, what it says, and how versions build on each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rules_helpers import d

from chipscreen.errors import NotFoundError
from chipscreen.rules import (
    list_rulebooks,
    load_rulebook,
    remote_access_controlled,
    rulebook_for,
)

# (first day in force, rulebook id): each change on both sides of its boundary.
VERSIONS = [
    ("2022-10-07", "2022-10-07-advanced-computing"),
    ("2023-01-17", "2023-01-17-macau"),
    ("2023-11-17", "2023-11-17-acs-ifr"),
    ("2024-04-04", "2024-04-04-corrections"),
    ("2024-12-02", "2024-12-02-hbm-fdp"),
    ("2025-01-13", "2025-01-15-ai-diffusion"),
    ("2025-09-29", "2025-09-29-affiliates"),
    ("2025-11-10", "2025-11-10-affiliates-suspension"),
    ("2026-01-15", "2026-01-15-review-policy"),
]


def test_one_rulebook_per_rule_version_plus_the_baseline_and_a_proposal() -> None:
    ids = [rb.id for rb in list_rulebooks()]
    assert ids == ["2018-08-13-baseline", *(rid for _, rid in VERSIONS), "proposal-remote-access"]


@pytest.mark.parametrize(("first_day", "rid"), VERSIONS)
def test_rulebook_in_force_switches_on_its_effective_date(first_day: str, rid: str) -> None:
    day = d(first_day)
    assert rulebook_for(day).id == rid
    before = rulebook_for(d(first_day).fromordinal(day.toordinal() - 1))
    assert before.id != rid
    assert rid in rulebook_for(day).chain and before.id in rulebook_for(day).chain  # it extends its predecessor


def test_ai_diffusion_is_in_force_from_13_january_although_named_by_publication() -> None:
    rb = load_rulebook("2025-01-15-ai-diffusion")
    assert rb.effective == d("2025-01-13") and rb.published == d("2025-01-15") and rb.compliance == d("2025-05-15")


def test_a_proposal_is_never_in_force_but_can_be_selected_by_id() -> None:
    assert all(not rb.is_proposal for rb in (rulebook_for(d("2030-01-01")), rulebook_for(d("2026-03-01"))))
    prop = load_rulebook("proposal-remote-access")
    assert prop.is_proposal and prop.effective is None and prop.extends == "2026-01-15-review-policy"


def test_lookup_by_unique_prefix_by_date_and_errors() -> None:
    assert load_rulebook("2023-11-17").id == "2023-11-17-acs-ifr"
    assert load_rulebook("2024-06-30").id == "2024-04-04-corrections"  # a date that is no id prefix
    assert load_rulebook(d("2024-06-30")).id == "2024-04-04-corrections"
    with pytest.raises(NotFoundError, match="ambiguous"):
        load_rulebook("2025")
    with pytest.raises(NotFoundError):
        load_rulebook("no-such-rule")
    with pytest.raises(NotFoundError, match="no rulebook in force"):
        rulebook_for(d("2017-01-01"))


def test_metadata_does_not_inherit() -> None:
    rb = load_rulebook("2023-01-17-macau")
    assert rb.citation.startswith("88 FR 2821") and "62186" not in rb.citation
    meta = rb.meta()
    assert {"id", "title", "effective", "citation", "status"} <= set(meta)


# ------------------------------------------------------------------ numbers, inequalities, citations
EXPECTED_THRESHOLDS = {
    "2022-10-07-advanced-computing": {"io_2022": ("io", ">=", 600), "tpp_2022": ("tpp", ">=", 4800)},
    "2023-11-17-acs-ifr": {
        "tpp_a1": ("tpp", ">=", 4800),
        "tpp_a2": ("tpp", ">=", 1600),
        "pd_a2": ("pd", ">=", 5.92),
        "tpp_b1_low": ("tpp", ">=", 2400),
        "tpp_b1_high": ("tpp", "<", 4800),
        "pd_b1_low": ("pd", ">=", 1.6),
        "pd_b_high": ("pd", "<", 5.92),
        "pd_b2_low": ("pd", ">=", 3.2),
        "tpp_note2": ("tpp", "<", 4800),
    },
    "2024-12-02-hbm-fdp": {"mbd_c": ("mbd", ">", 2.0), "mbd_hbm_exception": ("mbd", "<", 3.3)},
    "2026-01-15-review-policy": {"env_tpp": ("tpp", "<", 21000), "env_dram": ("dram", "<", 6500)},
}


@pytest.mark.parametrize("rid", sorted(EXPECTED_THRESHOLDS))
def test_thresholds_with_their_exact_inequality(rid: str) -> None:
    rb = load_rulebook(rid)
    for name, (param, op, value) in EXPECTED_THRESHOLDS[rid].items():
        t = rb.thresholds[name]
        assert (t.param, t.op, t.value) == (param, op, value), name


def test_every_number_has_a_citation() -> None:
    for rb in list_rulebooks():
        for t in rb.thresholds.values():
            assert t.citation, f"{rb.id}: {t.name}"
        for r in rb.requirements:
            assert r.citation
        for p in rb.review_policies:
            assert p.citation
        for x in rb.letters:
            assert x.citation


def test_the_2022_thresholds_are_dropped_in_2023() -> None:
    assert "io_2022" not in load_rulebook("2023-11-17-acs-ifr").thresholds
    assert [p.label for p in load_rulebook("2023-11-17-acs-ifr").classification["ic"].paragraphs] == [
        "a.1",
        "a.2",
        "b.1",
        "b.2",
    ]


def test_remote_access_is_an_export_only_under_the_proposal() -> None:
    assert all(not remote_access_controlled(rb) for rb in list_rulebooks() if not rb.is_proposal)
    assert remote_access_controlled("proposal-remote-access")


# ------------------------------------------------------------------ no thresholds, dates or countries in code
CODE = Path(__file__).resolve().parents[2] / "src" / "chipscreen" / "rules"


def test_code_holds_no_threshold_date_or_country_literal() -> None:
    values = {t.value for rb in list_rulebooks() for t in rb.thresholds.values() if not isinstance(t.value, bool)}
    # single-digit integers (the HBM line 2.0 prints as "2") are ordinary code tokens: check them as "2.0"
    numbers = sorted({f"{v:g}" for v in values if len(f"{v:g}") > 1} | {"2.0", "500000", "500_000"})
    for path in CODE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        code = re.sub(r'"""(.|\n)*?"""', "", text)  # docstrings may explain the rules
        code = "\n".join(line.split("#")[0] for line in code.splitlines())
        for n in numbers:
            assert not re.search(rf"(?<![\w.]){re.escape(n)}(?![\w.])", code), f"{path.name}: literal {n}"
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", code), f"{path.name}: date literal"
        assert not re.search(r"[\"'](CN|HK|MO|US|IL|AE)[\"']", code), f"{path.name}: country literal"
