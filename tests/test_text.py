"""Plain folding of free text: the words stay, case, punctuation and spacing go."""

from chipscreen.text import fold_words


def test_punctuation_and_case_do_not_change_the_words() -> None:
    assert fold_words("ACME, Inc.") == fold_words("acme   inc") == "acme inc"


def test_letters_of_every_script_are_words() -> None:
    assert fold_words("Straße-Ltd") == "strasse ltd"
    assert fold_words("华为（深圳）") == "华为 深圳"


def test_nothing_but_punctuation_folds_to_empty() -> None:
    assert fold_words(" .,;- ") == ""
