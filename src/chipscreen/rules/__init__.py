"""Rules engine: every advanced-computing rule version since 2022 as dated data, and items classified from specs.

Data (top-level ``data/``): ``rulebooks/*.yaml`` (one file per rule version, each number with its
citation and inequality; a version ``extends`` its predecessor), ``country_groups.yaml`` (dated group
membership, HK treated as CN), ``chips.yaml`` (the catalog, every figure with its source).

Public API (what the decision engine calls)::

    load_rulebook(ref: str | date | Rulebook | None = None) -> Rulebook
        # by id or unique id prefix ("2023-11-17"), or the rulebook in force on a date
    rulebook_for(date: date | None = None, id: str | None = None) -> Rulebook
    list_rulebooks() -> list[Rulebook]                 # rules by effective date, then proposals
    classify(item: Item | str, date: date | None = None, rulebook: Rulebook | str | None = None,
             *, resolve: Callable[[str], Item] | None = None, explain: bool = True) -> ItemClassification
        # ItemClassification is a chipscreen.model.Classification (eccn, paragraph, tpp, pd, work) plus
        # status ("controlled" | "not_controlled" | "undetermined"), candidates, missing, citation, ...
    classify_many(items: Iterable[Item | str], date=None, rulebook=None, *, resolve=None, explain=True)
        -> list[ItemClassification]          # bulk: one rulebook, cyclic GC paused for the batch
    license_requirement(question: LicenceQuestion) -> LicenseRequirement
    license_requirement(item: Item | str, destination: str, date: date | None = None, **facts) -> LicenseRequirement
        # LicenceQuestion (frozen): item, classification, destination, date, rulebook, headquarters,
        # parent_headquarters, exporter, export_from, transaction_kind; LicenceQuestion.ask(item, destination,
        # date, **facts) builds one from raw facts, as the keyword form does
        # license_required, reasons (chipscreen.model.Reason: destination | headquarters | is_informed),
        # license_exceptions (["NAC"], ["ACA"], ["HBM"]) with exception_options, review_policy, notes
    controlled_since(item: Item | str, destination: str, date: date | None = None, *, headquarters=None,
                     parent_headquarters=None, exporter=None, export_from=None) -> date | None
        # first day of the unbroken run of days up to ``date`` needing a licence (pre-rule stock check)
    affiliates_rule(when: date | Rulebook | str | None = None, on: date | None = None) -> AffiliatesRule
        # in_force, status ("in_force" | "suspended" | "not_yet" | "absent"), threshold_ppm, op, lists
        # (list codes), feeds (FeedingList: code, title, programs, citation), rulebook, citation;
        # .captures(share_ppm) applies the threshold exactly; .programs() -> {list code: programs | None}
    remote_access_controlled(rulebook: Rulebook | str | date | None = None) -> bool   # True only for the proposal
    country_groups() -> CountryGroups                  # .members(group, day), .canonical(code, day), .groups_of
        # .treated_as(code, on) -> str: the country a headquarters or destination counts as (HK -> CN)
    catalog() -> Catalog                               # .item(id) -> Item, .entry(id) -> CatalogEntry
    parse_item(data: Mapping, where: str = "item") -> Item   # InputError naming each bad field

Items may be given as catalog ids. A rulebook or country-group file that cannot be read raises
``RulebookError`` / ``chipscreen.errors.DataError`` naming the file and the key path.
Rulebook metadata: ``rb.id``, ``rb.title``, ``rb.effective``, ``rb.citation``, ``rb.status``, ``rb.meta()``.
Nothing here opens the store: classification is a pure function of the shipped data.
"""

from chipscreen.rules.affiliates import AffiliatesRule, AffiliatesStatus, affiliates_rule
from chipscreen.rules.catalog import Catalog, CatalogEntry, catalog, parse_item
from chipscreen.rules.classify import ItemClassification, classify, classify_many
from chipscreen.rules.countries import CountryGroups, Scope, country_groups
from chipscreen.rules.question import LicenceQuestion
from chipscreen.rules.review import ExceptionOption, LicenseRequirement, controlled_since, license_requirement
from chipscreen.rules.rulebook import list_rulebooks, load_rulebook, remote_access_controlled, rulebook_for
from chipscreen.rules.rulebook_model import FeedingList, Rulebook
from chipscreen.rules.rulebook_parse import RulebookError

__all__ = [
    "AffiliatesRule",
    "AffiliatesStatus",
    "Catalog",
    "CatalogEntry",
    "CountryGroups",
    "ExceptionOption",
    "FeedingList",
    "ItemClassification",
    "LicenceQuestion",
    "LicenseRequirement",
    "Rulebook",
    "RulebookError",
    "Scope",
    "affiliates_rule",
    "catalog",
    "classify",
    "classify_many",
    "controlled_since",
    "country_groups",
    "license_requirement",
    "list_rulebooks",
    "load_rulebook",
    "parse_item",
    "remote_access_controlled",
    "rulebook_for",
]
