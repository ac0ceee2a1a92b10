"""Screens where enter picks, and may close the screen: the keys typed after that enter wait
until the pick is done, then go where it left the focus, in the order typed.

A pick is made a hop or two after the app reads the enter (the filter box handles it in its
own turn; a list's binding runs once the key has passed up to the app), and the app hands
each key it reads to the widget focused at that moment: "/kidney", enter and n in one read (a
slow SSH link) gave the n to the search box the enter was closing, and the article it opened
never saw it. The app holds the keys read after such an enter until :class:`EnterDone`.
"""

from __future__ import annotations

from textual.message import Message


class EnterPicks:
    """Marks a screen whose enter picks (and may close it); it posts :class:`EnterDone` to the
    app once the enter has picked or found nothing to pick."""


class EnterDone(Message):
    """The enter a :class:`EnterPicks` screen was handling is done: the keys read after it may
    go (to the screen below when it closed)."""
