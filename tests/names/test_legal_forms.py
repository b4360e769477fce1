"""Legal forms: one list in data/names/legal_forms.yml, read three ways."""

from __future__ import annotations

import re

from chipscreen.names.legal_forms import (
    glued_form_pattern,
    glued_forms,
    han_legal_forms,
    legal_forms,
    ownership_legal_forms,
    standalone_legal_words,
)
from chipscreen.names.lexicon import tables

# the ownership normaliser's list as written in src/chipscreen/ownership/tables.py before it read this file
OWNERSHIP_LEGAL_FORMS = (
    "co|ltd|limited|llc|inc|incorporated|corp|corporation|company|gmbh|ag|sa|plc|jsc|ojsc|pjsc|cjsc|ooo|zao|"
    "oao|pao|ao|bv|nv|pte|pty|srl|spa|kk|lp|llp|the|ооо|оао|зао|пао|ао|тов"
)


def test_ownership_forms_are_the_ownership_list_in_its_order() -> None:
    assert ownership_legal_forms() == tuple(OWNERSHIP_LEGAL_FORMS.split("|"))


def test_each_form_is_listed_once() -> None:
    forms = [f.form for f in legal_forms()]
    assert len(forms) == len(set(forms))


def test_standalone_words_are_the_normaliser_legal_words() -> None:
    assert frozenset(standalone_legal_words()) == tables().legal_words
    assert {"corp", "llc", "ltd", "gmbh", "limitada", "partnership"} <= tables().legal_words
    assert "the" not in tables().legal_words  # dropped by the ownership normaliser only


def test_glued_forms_split_off_like_before() -> None:
    before = re.compile(r"\b([A-Z]?[a-z]{3,})(AG|GmbH|LLC|Ltd|Inc|SA|SE|NV|BV|AB|SpA|Srl|KK|PLC|JSC)\b")
    assert sorted(glued_forms()) == sorted(before.pattern.split("(")[2].rstrip(")\\b").split("|"))
    for text in ["SiemensAG", "AcmeGmbH tools", "FooSpA, BarSrl", "FoAG", "Telecom SA", "NokiaOyj", "VolvoAB",
                 "BigCoPLC", "ZetaSAS", "RosnefJSC."]:
        assert glued_form_pattern().sub(r"\1 \2", text) == before.sub(r"\1 \2", text)


def test_han_forms_longest_first() -> None:
    assert "有限公司" in han_legal_forms()
    order = tables().han_legal_forms
    assert order.index("股份有限公司") < order.index("有限公司") < order.index("公司")
