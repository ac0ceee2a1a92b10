"""Helpers that look inside parsed values."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator


def strings(value: object) -> Iterator[str]:
    """Every string inside a ParsedFeed or FeedEntry, however deep."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from strings(item)
