"""Screens where enter picks, and may close the screen: the keys typed after that enter wait
until the pick is done, then go where it left the focus, in the order typed.

A pick is made a hop or two after the app reads the enter (the filter box handles it in its
own turn; a list's binding runs once the key has passed up to the app), and the app hands
each key it reads to the widget focused at that moment: "/kidney", enter and n in one read (a
slow SSH link) gave the n to the search box the enter was closing, and the article it opened
never saw it. The app holds the keys read after such an enter until :class:`EnterDone`.

Each enter the app hands such a screen has a number, and its :class:`EnterDone` says it: one
done late, after its keys went at the hold's time limit, lets go nothing held after a later
enter.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from textual.message import Message


class EnterPicks:
    """Marks a screen whose enter picks (and may close it); it posts :meth:`enter_done` to the
    app once the enter has picked or found nothing to pick."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._enters_read: deque[int] = deque()
        """The numbers of the enters handed to this screen and not yet done, oldest first."""

    def read_enter(self, enter: int) -> None:
        """The app hands this screen its enter number ``enter``."""
        self._enters_read.append(enter)

    def enter_done(self) -> EnterDone:
        """The message saying the oldest enter handed here is done (a pick made by a click,
        with no enter waiting, names none)."""
        return EnterDone(self._enters_read.popleft() if self._enters_read else None)


class EnterDone(Message):
    """The enter a :class:`EnterPicks` screen was handling is done: the keys read after it may
    go (to the screen below when it closed)."""

    def __init__(self, enter: int | None) -> None:
        super().__init__()
        self.enter = enter
        """The number the app gave that enter (None: a pick no enter made)."""
