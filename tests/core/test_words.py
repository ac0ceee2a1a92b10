"""Counts said in words."""

from __future__ import annotations

from reader.core.words import counted


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert counted(1, "bookmark") == "1 bookmark"
    assert counted(0, "bookmark") == "0 bookmarks"
    assert counted(2, "source") == "2 sources"
    assert counted(3, "copy", "copies") == "3 copies"
