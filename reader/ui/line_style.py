"""A line-API widget's own style, worked out once a paint rather than once a line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    # Not a Widget at run time: a Widget subclass first in the bases would bring Widget's
    # default CSS ahead of the widget's own (a ScrollView's, a Tree's).
    _Base = object


class StyledOncePerPaint(_Base):
    """Mixed in before a line-API widget: ``line_style`` is its ``rich_style`` for a paint.

    ``rich_style`` walks every ancestor's styles and blends their colours; asked for on every
    line, it was about a third of the time each line of the article took to draw.
    """

    _paint_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of ``crop``, the widget's own style worked out once for all of them."""
        self._paint_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._paint_style = None

    @property
    def line_style(self) -> Style:
        """The widget's style: the paint's while lines are drawn, else worked out now."""
        return self._paint_style or self.rich_style
