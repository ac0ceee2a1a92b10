"""Python's cycle collector, and the objects that live long: no pause of a tenth of a second.

Laying out 5 MB of text makes some 250,000 lines' worth of objects. Every time the heap grows
by a quarter, Python's collector walks all of it, holding the screen for 100-350 ms on this
machine; once the article is laid out, any later walk costs as much again. So while a long
article is rendered and laid out the collector is held, and when it is done the objects that
survive are frozen (``gc.freeze``: later walks skip them). What an article is made of holds no
reference cycles, so it is still freed, by reference counting, when the next one replaces it.

The same holds for what the reader made to start (its modules, Textual's styles, the screens,
some 80,000 objects) and for a long list in the sidebar (11,000 posts: some 100,000 objects,
each line freed by reference counting when a refill replaces it). A refresh makes objects by
the thousand in its thread, and the collections they set off walked all of those again, 50-100
ms of the screen's loop each, a few seconds apart: the slowest keys of a refresh (bench/README.md,
"Keys during a refresh"). They are frozen once made (:func:`freeze_survivors`), and given back
to the collector when the app ends (:func:`thaw`), so that many apps in one process (the
tests) never keep each other's garbage.

What is left are full collections of what was made since (article renderings, frames, a
refresh's posts: 5,000-10,000 objects in cycles freed each time, 20-55 ms of the interpreter
a few seconds apart). Python starts one on an allocation that crosses its threshold, which is
most likely while something allocates: a key's answer being drawn, or the refresh's thread
(holding the interpreter, so the loop waits too). They are deferred (:func:`defer_full`) and
the app runs each when it is due and no key has come for a moment (:func:`collect_if_due`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = True
_NEVER = 1 << 30
"""A full collections' threshold that is never reached."""
_full_every: int | None = None
"""Python's own threshold for full collections while they are deferred (else None)."""
FULL_SPACING = 2.0
"""Seconds at least between two deferred full collections."""
_OWED_WHEN_BUSY = 10
"""Full collections owed after which one runs even while keys keep coming."""
_last_full = float("-inf")


def hold() -> None:
    """Stop automatic collections until every :func:`hold` has been released."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1


def release(*, freeze: bool = False) -> None:
    """Undo one :func:`hold`; ``freeze`` first moves what is alive out of the collector's way."""
    global _holders
    with _lock:
        if _holders == 0:
            return
        _holders -= 1
        if freeze:
            gc.freeze()
        if _holders == 0 and _was_enabled:
            gc.enable()


@contextmanager
def held(*, freeze: bool = False) -> Iterator[None]:
    """No automatic collections inside; see :func:`hold`."""
    hold()
    try:
        yield
    finally:
        release(freeze=freeze)


def freeze_survivors() -> None:
    """Move what is alive out of the collector's walks, once young garbage is gone.

    The young generations are collected first (a few ms): a cycle that is already garbage
    would otherwise stay frozen, never freed. Older garbage waits for :func:`thaw`.
    """
    gc.collect(1)
    gc.freeze()


def thaw() -> None:
    """Give every frozen object back to the collector (the app is ending)."""
    gc.unfreeze()


def defer_full() -> None:
    """Python no longer starts full collections by itself; :func:`collect_if_due` runs them."""
    global _full_every
    young, middle, full = gc.get_threshold()
    if _full_every is None:
        _full_every = full
    gc.set_threshold(young, middle, _NEVER)


def undefer_full() -> None:
    """Python starts full collections by itself again (the app is ending)."""
    global _full_every, _last_full
    if _full_every is not None:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, _full_every)
        _full_every = None
    _last_full = float("-inf")


def full_due(now: float, *, idle: bool = True) -> bool:
    """A deferred full collection is due at ``now`` (``time.monotonic()``): as many middle
    collections have run since the last full one as would have started one, the last one
    was a while ago, and the collector is not held; while the reader is busy (``idle``
    false), only once ten are owed (a key held down for minutes must not grow the heap
    without end).

    The spacing stands for Python's other condition (the objects that survived since the
    last full collection are a quarter of all those it walks), which it does not expose:
    without it a refresh's thread, making objects by the thousand, would have one run every
    time the app looks.
    """
    every = _full_every
    if every is None or not gc.isenabled() or now - _last_full < FULL_SPACING:
        return False
    return gc.get_count()[2] >= (every if idle else every * _OWED_WHEN_BUSY)


def collect_if_due(now: float, *, idle: bool = True) -> bool:
    """Run a deferred full collection if one is due at ``now``; whether it ran."""
    global _last_full
    if not full_due(now, idle=idle):
        return False
    gc.collect()
    _last_full = now
    return True
