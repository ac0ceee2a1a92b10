"""Which dates a site gives are believable: a post dated past next year is a date unknown.

A feed can claim any date (a year of 400 digits, 2999); believed, such a post would sit on
top of every list for ever. Next year is still allowed: time zones, and sites that date events
ahead of time.
"""

from __future__ import annotations

from datetime import UTC, datetime


def believable(when: datetime | None, *, now: datetime | None = None) -> datetime | None:
    """``when``, or None when it lies past the end of next year."""
    if when is None:
        return None
    current = now or datetime.now(UTC)
    return when if when.year <= current.year + 1 else None
