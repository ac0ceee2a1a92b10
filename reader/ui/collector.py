"""Python's cycle collector and a long article: no pause of a third of a second mid-way.

Laying out 5 MB of text makes some 250,000 lines' worth of objects. Every time the heap grows
by a quarter, Python's collector walks all of it, holding the screen for 100-350 ms on this
machine; once the article is laid out, any later walk costs as much again. So while a long
article is rendered and laid out the collector is held, and when it is done the objects that
survive are frozen (``gc.freeze``: later walks skip them). What an article is made of holds no
reference cycles, so it is still freed, by reference counting, when the next one replaces it.
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
