"""One line naming an address ("Copied https://…"), fitted to its width by cutting the
address's middle.

A line cut at its end hid where a long address led (its post's slug) and looked as though the
address itself had been cut: what was copied was whole, but the line could not say so. Cut in
the middle, the site and the end of the address both stay, with "…" where the rest was.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

ELLIPSIS = "…"


def middle_cut(address: str, room: int) -> str:
    """``address`` in at most ``room`` cells: whole if it fits, else its start, "…", its end.

    The start is the site (``https://host/``) where that leaves two fifths for the end; else
    the end gets the larger share: a post's slug says more than the path leading to it.
    """
    if cell_len(address) <= room:
        return address
    if room <= 1:
        return ELLIPSIS if room == 1 else ""
    head_room = (room - 1) * 2 // 5
    scheme, found, rest = address.partition("://")
    if found:
        site = f"{scheme}://{rest.partition('/')[0]}/"
        if cell_len(site) <= (room - 1) * 3 // 5:
            head_room = cell_len(site)
    tail_room = room - 1 - head_room
    head = _cells_from_start(address, head_room)
    tail = _cells_from_end(address, tail_room)
    return head + ELLIPSIS + tail


def _cells_from_start(text: str, room: int) -> str:
    used = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > room:
            return text[:index]
    return text


def _cells_from_end(text: str, room: int) -> str:
    used = 0
    for index in range(len(text) - 1, -1, -1):
        used += cell_len(text[index])
        if used > room:
            return text[index + 1 :]
    return text


class AddressLine:
    """``before`` + ``address`` + ``after`` on one line; when it is too wide, the address is cut
    in its middle (and only then the line at its end).

    Every part is plain text, never markup: addresses are untrusted.
    """

    def __init__(self, before: str, address: str, after: str = "", style: str = "") -> None:
        self.before = before
        self.address = address
        self.after = after
        self.style = style

    @property
    def plain(self) -> str:
        """The whole line, the address uncut."""
        return self.before + self.address + self.after

    def __str__(self) -> str:
        return self.plain

    def fitted(self, width: int) -> Text:
        """The line as shown in ``width`` cells."""
        room = width - cell_len(self.before) - cell_len(self.after)
        # Cut to a few cells the address says nothing: then the line is cut at its end.
        address = middle_cut(self.address, room) if room >= 12 else self.address
        line = Text(self.before + address + self.after, style=self.style)
        line.truncate(width, overflow="ellipsis")
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """One line, fitted to the width it is given."""
        yield self.fitted(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """As narrow as a cell, as wide as the whole line."""
        return Measurement(1, cell_len(self.plain))
