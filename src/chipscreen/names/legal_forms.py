"""Our legal forms, listed once in ``data/names/legal_forms.yml``, as each reader needs them.

Three readers drop legal forms before comparing names, each in its own way: the names normaliser drops
the words rigour's org-type table leaves standing alone and splits camel-case forms off a name
("SiemensAG"); the Han segmentation removes company-form suffixes (有限公司); the ownership normaliser drops
a fixed list of words with one regular expression. Each takes its list from here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chipscreen.names.lexicon import LegalForm, legal_form_table

__all__ = [
    "LegalForm",
    "glued_form_pattern",
    "glued_forms",
    "han_legal_forms",
    "legal_forms",
    "ownership_legal_forms",
    "standalone_legal_words",
]

_MIN_GLUED_STEM = 3
"""Letters a name needs before a glued form is split off it: "SiemensAG" -> "Siemens AG", while a short
word that ends in capitals ("FoAG") is left as written."""


def legal_forms() -> tuple[LegalForm, ...]:
    """Every legal form with its readers, in the file's order."""
    return legal_form_table()


def standalone_legal_words() -> tuple[str, ...]:
    """Words the names normaliser drops when rigour's org-type table leaves them alone ("corp", "llc")."""
    return tuple(f.form for f in legal_form_table() if f.standalone)


def glued_forms() -> tuple[str, ...]:
    """The camel-case spellings split off a name they are written onto ("AG" of "SiemensAG")."""
    return tuple(f.glued for f in legal_form_table() if f.glued is not None)


@lru_cache(maxsize=1)
def glued_form_pattern() -> re.Pattern[str]:
    """A legal form glued to a name in camel case ("SiemensAG"): group 1 the name, group 2 the form."""
    forms = "|".join(re.escape(g) for g in glued_forms())
    return re.compile(rf"\b([A-Z]?[a-z]{{{_MIN_GLUED_STEM},}})({forms})\b")


def han_legal_forms() -> tuple[str, ...]:
    """Company-form suffixes in Chinese characters (有限公司, 株式会社), in the file's order."""
    return tuple(f.form for f in legal_form_table() if f.han)


def ownership_legal_forms() -> tuple[str, ...]:
    """The words the ownership normaliser drops, in the order its pattern lists them."""
    return tuple(f.form for f in legal_form_table() if f.ownership)
