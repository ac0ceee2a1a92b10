"""Browser-style back and forward through visited articles, with scroll positions."""

from __future__ import annotations

from dataclasses import replace

from reader.core.records import record


@record
class Location:
    """A visited article and how far down it the reader was."""

    url: str
    scroll_y: float = 0.0


class History:
    """A back/forward stack. Visiting a new place drops the forward part, as browsers do."""

    def __init__(self, limit: int = 200) -> None:
        self._places: list[Location] = []
        self._index = -1
        self._limit = limit

    @property
    def current(self) -> Location | None:
        """Where the reader is now, or None before the first visit."""
        return self._places[self._index] if self._index >= 0 else None

    @property
    def can_go_back(self) -> bool:
        """True when there is somewhere to go back to."""
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        """True when there is somewhere to go forward to."""
        return self._index < len(self._places) - 1

    def visit(self, url: str, scroll_y: float = 0.0) -> None:
        """Record a visit to ``url``; revisiting the current place only updates it."""
        if self.current is not None and self.current.url == url:
            self._places[self._index] = Location(url, scroll_y)
            return
        del self._places[self._index + 1 :]
        self._places.append(Location(url, scroll_y))
        if len(self._places) > self._limit:
            del self._places[0]
        self._index = len(self._places) - 1

    def remember_scroll(self, scroll_y: float) -> None:
        """Update how far down the current place the reader is, before leaving it."""
        if self.current is not None:
            self._places[self._index] = replace(self.current, scroll_y=scroll_y)

    def back(self) -> Location | None:
        """Step back; returns the place to show, or None at the start."""
        if not self.can_go_back:
            return None
        self._index -= 1
        return self.current

    def forward(self) -> Location | None:
        """Step forward; returns the place to show, or None at the end."""
        if not self.can_go_forward:
            return None
        self._index += 1
        return self.current
