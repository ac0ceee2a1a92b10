"""Addresses that answered for good that there is nothing there to read, with the time they did.

An article page that is no article (a list, too big, a 404) or a picture that is gone (404 or
410) answered the same at every ``reader sync --pages`` and every opening of its bookmark,
each time a request and a message. Remembered here, it is not asked for again for
:data:`REFUSED_FOR_DAYS` days. A 5xx, a timeout or a network that is down says nothing lasting
about the address, and is never remembered.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only its type: the image cache reads refusals at start-up, which imports no network.
    from reader.core.fetch import FetchError

#: Days an address that refused is left alone before it is asked for again.
REFUSED_FOR_DAYS = 7
_REFUSED_FOR = REFUSED_FOR_DAYS * 86400
# Statuses that say something lasting about the address: not found, gone, forbidden, refused
# as too large or of a type not served. 408 (timeout) and 429 (too many) say nothing lasting.
_LASTING = frozenset({400, 401, 403, 404, 406, 410, 414, 415, 451})
GONE = frozenset({404, 410})
"""The statuses that say a picture is gone."""


def refused_for_good(error: FetchError) -> bool:
    """True when ``error`` says the address will answer the same next time."""
    if error.offline or error.retry_after is not None:
        return False
    if error.status is not None:
        return error.status in _LASTING
    return error.reason.startswith("body larger than")


class Refusals:
    """When each address (or post id, as text) refused; entries older than the wait expire."""

    def __init__(self, when: dict[str, float] | None = None) -> None:
        self._when = dict(when or {})

    @classmethod
    def from_text(cls, text: str, now: float | None = None) -> Refusals:
        """What :meth:`to_text` wrote, without what has expired (anything unreadable: none)."""
        now = time.time() if now is None else now
        try:
            loaded = json.loads(text) if text else {}
        except ValueError:
            return cls()
        if not isinstance(loaded, dict):
            return cls()
        kept = {
            str(key): float(at)
            for key, at in loaded.items()
            if isinstance(at, int | float) and now - _REFUSED_FOR < at <= now + 86400
        }
        return cls(kept)

    def to_text(self) -> str:
        """The refusals as JSON, to keep."""
        return json.dumps(self._when, separators=(",", ":"), sort_keys=True)

    def __len__(self) -> int:
        return len(self._when)

    def refused(self, key: str) -> bool:
        """True when ``key`` refused within the wait."""
        return key in self._when

    def until(self, key: str) -> float | None:
        """When ``key`` may be asked for again (a Unix time), or None if it may now."""
        at = self._when.get(key)
        return None if at is None else at + _REFUSED_FOR

    def note(self, key: str, now: float | None = None) -> None:
        """Remember that ``key`` refused now."""
        self._when[key] = time.time() if now is None else now

    def keep_only(self, keys: set[str]) -> None:
        """Forget every key not in ``keys`` (read since, or no longer wanted)."""
        self._when = {key: at for key, at in self._when.items() if key in keys}
