"""Frozen dataclasses whose methods are written when the class is first used.

``dataclasses.dataclass`` writes each method it adds (``__init__``, ``__eq__``, ``__hash__``,
``__repr__``, and for a frozen one ``__setattr__`` and ``__delattr__``) as source text and
compiles it: about a millisecond a frozen class on these machines. The reader imports some 30
of them to draw its first screen and makes instances of a few, which put tens of milliseconds
into the start-up figure (bench/README.md, "Start-up"). :func:`record` puts that work off to
the class's first instance, and :func:`complete_all` does what is left once the first screen
is drawn, so that an article's first opening never pays for it either.

A record is a frozen dataclass in every way once made: ``dataclasses.replace``, ``fields``,
``asdict``, equality, hashing and ``match`` work on its instances (any instance has made its
class first). Only the class object itself is plain until then, so a record neither inherits
from a dataclass nor is inherited from, and the class alone is asked for its fields
through :func:`fields_of`.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any, TypeVar, dataclass_transform

_Class = TypeVar("_Class", bound=type)

_lock = threading.Lock()
_pending: dict[type, Any] = {}
"""Each record not made yet, with the stand-in ``__init__`` it has until then."""


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: _Class) -> _Class:
    """``@dataclass(frozen=True)``, its methods written at the first instance (see above)."""

    def first_init(self: object, *args: object, **kwargs: object) -> None:
        make(cls)
        cls.__init__(self, *args, **kwargs)  # type: ignore[misc]  # the dataclass's, now

    cls.__init__ = first_init  # type: ignore[misc]
    with _lock:
        _pending[cls] = first_init
    return cls


def make(cls: type) -> None:
    """Write ``cls``'s dataclass methods now, unless they are written already."""
    with _lock:
        stand_in = _pending.pop(cls, None)
        if stand_in is None:
            return
        # The stand-in goes, or the dataclass would keep it as a hand-written __init__.
        if cls.__dict__.get("__init__") is stand_in:
            delattr(cls, "__init__")
        dataclasses.dataclass(frozen=True)(cls)


def fields_of(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """``dataclasses.fields`` of a record's class, made first if need be."""
    make(cls)
    return dataclasses.fields(cls)


def complete_all() -> None:
    """Make every record not made yet (the reader calls this once its first screen is up)."""
    with _lock:
        waiting = list(_pending)
    for cls in waiting:
        make(cls)
