"""Counts said in words: "1 bookmark", "2 bookmarks"."""

from __future__ import annotations


def counted(count: int, one: str, many: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one (``many`` when not just ``one + s``)."""
    return f"{count} {one if count == 1 else many or one + 's'}"
