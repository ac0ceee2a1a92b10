"""The operator's log: one line per event that matters, and never more lines than a disk can hold.

Every line is ``<event> key=value ...``. Values that came from a client (a user name, a terminal
type) are written with :func:`ascii`-style escapes, so a hostile client cannot forge a line or
send escape codes to the operator's terminal. Each kind of event has its own allowance: a burst,
then a steady trickle; what is held back is counted and reported on the next line of that kind
that is written, so a flood shows up as a handful of lines saying how big it was.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

_SAFE_VALUE = re.compile(r"[A-Za-z0-9._:/@+=-]{1,200}")


def quoted(value: object) -> str:
    """``value`` as it can go in a log line: bare when harmless, else escaped and quoted."""
    text = str(value)
    if _SAFE_VALUE.fullmatch(text):
        return text
    escaped = text[:200].encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{escaped}"'


@dataclass
class _Allowance:
    """A token bucket for one kind of event."""

    tokens: float
    updated: float
    held_back: int = 0


class OperatorLog:
    """Writes event lines to a :class:`logging.Logger`, each kind within its own allowance."""

    def __init__(
        self,
        logger: logging.Logger,
        *,
        burst: int = 20,
        per_second: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._burst = burst
        self._per_second = per_second
        self._clock = clock
        self._allowances: dict[str, _Allowance] = {}

    def event(self, kind: str, level: int = logging.INFO, **fields: object) -> bool:
        """Log ``kind`` with ``fields`` unless its allowance is spent; True when written."""
        now = self._clock()
        allowance = self._allowances.get(kind)
        if allowance is None:
            # Kinds are the server's own words, a fixed handful: this dict stays small.
            allowance = self._allowances[kind] = _Allowance(float(self._burst), now)
        allowance.tokens = min(
            float(self._burst), allowance.tokens + (now - allowance.updated) * self._per_second
        )
        allowance.updated = now
        if allowance.tokens < 1:
            allowance.held_back += 1
            return False
        allowance.tokens -= 1
        parts = [kind, *(f"{name}={quoted(value)}" for name, value in fields.items())]
        if allowance.held_back:
            parts.append(f"(and {allowance.held_back} more {kind} lines held back)")
            allowance.held_back = 0
        self._logger.log(level, " ".join(parts))
        return True

    def flush(self) -> None:
        """Say how many lines of each kind were held back and never reported."""
        for kind, allowance in self._allowances.items():
            if allowance.held_back:
                self._logger.info(f"{kind} ({allowance.held_back} more lines held back)")
                allowance.held_back = 0
