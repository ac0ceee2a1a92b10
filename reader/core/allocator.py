"""How many heaps C's allocator keeps: few, so the reader's threads do not each hold one.

glibc gives a thread that allocates while another holds the heap a heap (an "arena") of its
own, up to eight per core, and memory freed in an arena stays with it. The reader's threads
come and go (an article is rendered in a thread of its own, pages are parsed and pictures
decoded in the loop's executor), and each arena they made kept the few megabytes of its
largest work: over the bench's browsing session (bench/memory.py) that was 7-8 MB of peak
memory, with ``MALLOC_ARENA_MAX`` set. Two arenas keep threads from waiting on each other
for most allocations (the GIL already serializes Python's own).

The limit is set from Python, as the variable is read only when the process starts. Only
arenas made afterwards are held back, so it is set early, though not on start-up's path:
``ctypes`` takes 10-15 ms to import.

A decoded picture's full-size pixels (a 1024x683 upload is 2.8 MB) are freed at once, but
the allocator keeps the pages for the next allocation; :func:`give_back_freed` hands them
to the system after each decode, so the next big allocation starts from less.
"""

from __future__ import annotations

import sys
from typing import Any

#: ``mallopt``'s parameter for the most arenas (glibc's ``M_ARENA_MAX``).
_M_ARENA_MAX = -8
#: The arenas kept: the main thread's and one shared by every other thread.
ARENAS = 2

_libc: object = None
"""The C library once found (``ctypes.CDLL``), False when it is not glibc."""


def _glibc() -> Any:
    """The C library when it is glibc, else False (two threads' first calls may both look)."""
    global _libc
    if _libc is None:
        found: object = False
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                libc = ctypes.CDLL(None)
                libc.gnu_get_libc_version  # noqa: B018 - glibc only: musl has no such name
                libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
                libc.mallopt.restype = ctypes.c_int
                libc.malloc_trim.argtypes = [ctypes.c_size_t]
                libc.malloc_trim.restype = ctypes.c_int
            except (OSError, AttributeError):
                pass
            else:
                found = libc
        _libc = found
    return _libc


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Ask glibc to make no more than ``arenas`` heaps; whether it said yes.

    Anything else than Linux's glibc (musl, macOS, Windows) is left alone: False.
    """
    libc = _glibc()
    return bool(libc and libc.mallopt(_M_ARENA_MAX, arenas))


def give_back_freed() -> bool:
    """Return the free pages of every heap to the system (glibc only); whether any were."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0))
