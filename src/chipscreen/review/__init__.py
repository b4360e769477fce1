"""The review desk's logic, apart from any page: local accounts and sessions (``accounts``), the review queue
and the memory of its dispositions (``cases``), the content hashes a disposition is tied to (``content``),
what becomes a case (``intake``) and the desk's rules as data (``settings``, ``data/ui/desk.yml``)."""

from chipscreen.review.accounts import LoginRefused, Session, User, UserStore, has_desk
from chipscreen.review.cases import Case, CaseInput, CaseRefused, CaseStore, party_key
from chipscreen.review.content import decision_hash, entry_hash, entry_hashes
from chipscreen.review.decisions import DecisionLog
from chipscreen.review.filing import CaseFiler, file_monitor_report, without_cleared
from chipscreen.review.intake import decision_inputs, match_inputs, needs_review
from chipscreen.review.settings import DeskSettings, DispositionRule, desk_settings

__all__ = [
    "Case",
    "CaseFiler",
    "CaseInput",
    "CaseRefused",
    "CaseStore",
    "DecisionLog",
    "DeskSettings",
    "DispositionRule",
    "LoginRefused",
    "Session",
    "User",
    "UserStore",
    "decision_hash",
    "decision_inputs",
    "desk_settings",
    "entry_hash",
    "entry_hashes",
    "file_monitor_report",
    "has_desk",
    "match_inputs",
    "needs_review",
    "party_key",
    "without_cleared",
]
