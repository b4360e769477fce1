"""Given names and their nicknames, both ways round."""

from __future__ import annotations

from chipscreen.names.nicknames import nickname_pairs, nickname_partners, nickname_words


def test_nicknames_pair_both_ways() -> None:
    assert ("ted", "theodore") in nickname_pairs() and ("theodore", "ted") in nickname_pairs()
    assert "william" in nickname_partners()["bill"]
    assert {"bill", "william"} <= nickname_words()
    assert all((b, a) in nickname_pairs() for a, b in nickname_pairs())
