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
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = True


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
