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
        # Taking the stand-in away for the dataclass to write its own __init__ left a moment
        # in which another thread's ``cls(...)`` met object.__init__ ("Post() takes no
        # arguments"). So the class is made without an __init__, its stand-in in place, and
        # the dataclass's __init__, written for a twin of the class (it names no class),
        # replaces the stand-in in one assignment.
        twin = type(cls.__name__, cls.__bases__, _own_namespace(cls))
        dataclasses.dataclass(frozen=True, init=False)(cls)
        made: type = dataclasses.dataclass(frozen=True, repr=False, eq=False)(twin)
        cls.__init__ = made.__init__  # type: ignore[misc]


def _own_namespace(cls: type) -> dict[str, Any]:
    """What ``cls`` defines itself, its stand-in and the slots for instances left out."""
    left_out = {"__init__", "__dict__", "__weakref__"}
    return {name: value for name, value in cls.__dict__.items() if name not in left_out}


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
