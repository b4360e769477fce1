"""The public surface users script against: what each package exports, and that each export is there.

A name added to or dropped from an ``__all__`` is a change to the interface (README's Python API,
docs/architecture.md); this test makes it a deliberate one."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

PUBLIC = {
    "chipscreen": ["ChipscreenError", "DataError", "InputError", "NotFoundError", "Store", "open_store"],
    "chipscreen.names": [
        "Comparison", "Match", "NormalizedName", "ScreenResult", "Screener", "Token", "compare", "compare_names",
        "normalize_name", "validate_name",
    ],
    "chipscreen.ownership": ["Control", "ControlStatus", "ControlView", "LoadSummary", "load_file"],
    "chipscreen.rules": [
        "AffiliatesRule", "AffiliatesStatus", "Catalog", "CatalogEntry", "CountryGroups", "ExceptionOption",
        "FeedingList", "ItemClassification", "LicenceQuestion", "LicenseRequirement", "Rulebook", "RulebookError",
        "Scope", "affiliates_rule", "catalog", "classify", "classify_many", "controlled_since", "country_groups",
        "license_requirement", "list_rulebooks", "load_rulebook", "parse_item", "remote_access_controlled",
        "rulebook_for",
    ],
    "chipscreen.decide": ["Decider", "DecisionOutcome", "ReplayReport", "decide", "replay"],
    "chipscreen.review": [
        "Case", "CaseFiler", "CaseInput", "CaseRefused", "CaseStore", "DecisionLog", "DeskSettings", "DispositionRule",
        "LoginRefused", "Session", "User", "UserStore", "decision_hash", "decision_inputs", "desk_settings",
        "entry_hash", "entry_hashes", "has_desk", "match_inputs", "needs_review", "party_key", "without_cleared",
        "file_monitor_report",
    ],
    "chipscreen.service": ["ServiceConfig", "create_app"],
    "chipscreen.ui": ["Desk", "install", "router"],
    "chipscreen.spark": ["decide", "local_session", "monitor", "screen", "session"],
    "chipscreen.store": [
        "SCHEMA_VERSION", "DatasetInfo", "DiffRow", "ListedEntry", "LoadResult", "SnapshotInfo", "SnapshotRef",
        "Store", "default_home",
    ],
}
PUBLIC["chipscreen.updates"] = [
    "FetchError", "Fetched", "HttpSettings", "Source", "SourceOutcome", "UpdateResult", "fetch", "read_catalog",
    "update",
]
PUBLIC["chipscreen.monitor"] = [
    "MonitorReport", "PartyFinding", "TxFinding", "add_parties", "add_transactions", "run_monitor",
]


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_a_package_exports_exactly_its_public_names(package: str) -> None:
    module = importlib.import_module(package)
    assert sorted(module.__all__) == sorted(PUBLIC[package])


@pytest.mark.parametrize(("package", "name"), [(p, n) for p, names in sorted(PUBLIC.items()) for n in names])
def test_every_exported_name_resolves(package: str, name: str) -> None:
    assert getattr(importlib.import_module(package), name) is not None


def test_the_readme_python_api_runs(bundled_home: Path) -> None:
    """README: ``open_store()``, ``Screener(store).screen(...)``, ``chipscreen.rules.classify(item, date)``."""
    import datetime as dt

    from chipscreen import open_store
    from chipscreen.names import Screener
    from chipscreen.rules import classify

    with open_store(bundled_home) as store:
        result = Screener(store).screen("IFLYTEK CO LTD", date=dt.date(2026, 1, 15))
    assert result.matches and result.matches[0].name == "IFLYTEK" and result.matches[0].hit
    assert classify("nvidia-h100-sxm5", dt.date(2026, 1, 15)).eccn == "3A090"
