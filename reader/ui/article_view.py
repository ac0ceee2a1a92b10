"""The article pane: a rendered article as lines, with a link selection moved by the keyboard.

It renders the article once per width into lines (Textual's line API), so scrolling and moving
the link selection repaint only what changed. Links carry their number in their style's meta
(see ``reader.render``), which is how a selected link is found and highlighted.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.console import Console, RenderableType
from rich.segment import ControlType, Segment
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.reading import link_to_select
from reader.core.records import record
from reader.render.links import LinkTarget
from reader.render.wrapping import lines_of
from reader.ui import collector, keys
from reader.ui.line_style import StyledOncePerPaint

if TYPE_CHECKING:
    from reader.render.figures import ArticleImage
    from reader.render.rendered_article import RenderedArticle

_MARGIN = 1
"""Blank columns left and right of the text."""
_PICTURES_KEPT = 64
"""Drawn pictures kept for going back to an article, or laying it out again."""
_LONG_LAYOUT = 2000
"""Lines from which a layout still under way holds the cycle collector (see ``collector``)."""
_SLICE_SECONDS = 0.005
"""How long one slice of a long article's layout may hold the screen between frames."""
_WHOLE_FIRST_SECONDS = 0.05
"""How long (this thread's time) an article's layout may go on before its first frame, past
its first screens."""
_GROWTH_SHOWN = 0.5
"""Seconds between updates of a long article's length while it is laid out: each one
repaints the whole pane (a slice costs a few ms, a repaint at 120x40 costs more)."""

_LAYOUTS_KEPT = 4
"""Whole layouts kept for articles shown lately, to show again without laying them out."""
_KEPT_LINES = 5000
"""The longest layout kept (about 2 MB of segments)."""

_STRIPS_KEPT = 512
"""Strips kept for lines drawn lately: several screens of the tallest terminal."""

PictureKey = tuple[str, int, int]
"""An image's URL, and the columns and rows it is drawn in."""


def _holds_image(segment: Segment) -> bool:
    """True for a segment of the rows held for a picture."""
    style = segment.style
    return style is not None and bool(style._meta) and "image" in style.meta


@record
class ImageSlot:
    """Rows of the article held for a picture."""

    number: int
    url: str
    line: int
    """The first line it takes."""
    columns: int
    rows: int

    @property
    def key(self) -> PictureKey:
        """Which drawn picture fills this slot."""
        return (self.url, self.columns, self.rows)


@dataclass
class ArticleLayout:
    """The article laid out at one width."""

    width: int
    lines: list[list[Segment]]
    """Each line's segments, margin included. Not Strips: a Strip carries seven caches of its
    own (about 1 KB), 75 MB for the 74,000 lines of a 5 MB article; strips are made for the
    lines drawn and kept in ``strips``."""
    link_lines: dict[int, int]
    """Link number -> first line it appears on."""
    lines_with_links: dict[int, frozenset[int]]
    """Line index -> link numbers on it."""
    image_slots: dict[int, ImageSlot] = field(default_factory=dict)
    """Image number -> the rows held for its picture."""
    anchors: dict[str, int] = field(default_factory=dict)
    """An element's id -> the line its text starts on (what ``#id`` links point at)."""
    block_starts: list[int] = field(default_factory=list)
    """The first line of each block (paragraph, table, figure...) laid out, in order."""
    strips: dict[int, Strip] = field(default_factory=dict)
    """Line index -> its Strip, for the lines drawn lately (a few screens' worth)."""

    def strip(self, index: int) -> Strip:
        """Line ``index`` as a Strip (kept, so redrawing it reuses the Strip's caches)."""
        strip = self.strips.get(index)
        if strip is None:
            if len(self.strips) >= _STRIPS_KEPT:
                self.strips.clear()
            strip = self.strips[index] = Strip(self.lines[index])
        return strip

    def replace(self, index: int, line: list[Segment]) -> None:
        """Put ``line`` in place of line ``index``."""
        self.lines[index] = line
        self.strips.pop(index, None)


class ArticleView(StyledOncePerPaint, ScrollView, can_focus=True):
    """Shows one article; ``tab``/``shift+tab`` select links, ``enter`` follows one.

    | Key | Does |
    | --- | --- |
    | tab / shift+tab | select the next / previous link |
    | enter | follow the selected link |
    | j / k, arrows, space, page keys | scroll (space at the end: what :attr:`ended` opens) |
    """

    BINDINGS = [*keys.ARTICLE_VIEW]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"article-view--link-selected"}
    """
    | Class | Description |
    | :- | :- |
    | `article-view--link-selected` | The link tab and shift+tab moved to. |
    """

    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    ArticleView:focus {
        background-tint: $foreground 3%;
    }
    ArticleView > .article-view--link-selected {
        color: $reader-link-selected;
        text-style: bold reverse;
    }
    """

    class LinkFollowed(Message):
        """The reader asked to follow a link of the article."""

        def __init__(self, view: ArticleView, link: LinkTarget) -> None:
            super().__init__()
            self.view = view
            self.link = link

        @property
        def control(self) -> ArticleView:
            """The article view the link was followed from."""
            return self.view

    class ImagesWanted(Message):
        """Pictures scrolled near the screen and not drawn yet: the screen fetches them."""

        def __init__(self, view: ArticleView, slots: list[ImageSlot]) -> None:
            super().__init__()
            self.view = view
            self.slots = slots

        @property
        def control(self) -> ArticleView:
            """The article view that wants the pictures."""
            return self.view

    class LinkSelected(Message):
        """The link selection moved (to show the URL in the status line)."""

        def __init__(self, view: ArticleView, link: LinkTarget | None) -> None:
            super().__init__()
            self.view = view
            self.link = link

        @property
        def control(self) -> ArticleView:
            """The article view whose selection moved."""
            return self.view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._anchor_when_shown: str | None = None
        """The ``#id`` to scroll to once the hidden article is shown and laid out."""
        self._article: RenderedArticle | None = None
        self._layout: ArticleLayout | None = None
        self._stand_in = False
        """True while a note stands in for an article being laid out elsewhere."""
        self._scroll_when_shown: float | None = None
        """Where to scroll once a hidden article gets its width and is laid out."""
        self._pending: deque[RenderableType] = deque()
        """Blocks of the article not laid out yet."""
        self._current: Iterator[list[Segment]] | None = None
        """The lines still to come of the block being laid out (a long one goes in slices)."""
        self._to_end = False
        """True while ``G`` waits for the layout to reach the end of a long article."""
        self._holding = False
        """True while this view holds Python's cycle collector (a long layout under way)."""
        self._sized_at = 0.0
        """When the scrollable length last followed the layout (``time.monotonic()``)."""
        self._generation = 0
        """Counts articles shown, so a late layout step for an old one does nothing."""
        self.selected: int | None = None
        """Number of the selected link, or None."""
        self._pictures: OrderedDict[PictureKey, list[list[Segment]]] = OrderedDict()
        """Drawn pictures, line by line, by the slot they fill."""
        self._asked: set[PictureKey] = set()
        """Pictures asked for and not drawn yet (or refused)."""
        self._overlays: dict[PictureKey, str] = {}
        """iTerm2 or Sixel images drawn over their pictures' half blocks."""
        self.ended: Callable[[], None] = lambda: None
        """Space at the article's end goes on: the screen sets what to (the next unread post).
        Called in the key's own turn, not sent as a message, so that keys typed after the
        space act on the post it opens."""
        self._kept: OrderedDict[int, tuple[RenderedArticle, ArticleLayout]] = OrderedDict()
        """Whole layouts of articles without pictures shown lately, by the article's id()
        (the article is kept beside its layout, so the id stays its own)."""

    # -- content ---------------------------------------------------------------------------

    @property
    def empty(self) -> bool:
        """Nothing was shown here yet."""
        return self._article is None

    @property
    def links(self) -> list[LinkTarget]:
        """The numbered links of the article shown."""
        return self._article.links if self._article is not None else []

    @property
    def selected_link(self) -> LinkTarget | None:
        """The selected link, or None."""
        if self.selected is None:
            return None
        return next((lk for lk in self.links if lk.number == self.selected), None)

    def show(
        self, article: RenderedArticle, *, scroll_y: float = 0.0, stand_in: bool = False
    ) -> None:
        """Show ``article``, scrolled to ``scroll_y``, with no link selected.

        ``stand_in``: a note shown while the article is laid out elsewhere; an end key
        pressed over it takes the article that replaces it to its end.
        """
        to_end = self._stand_in and self._to_end
        self._keep_layout()
        kept = self._kept.pop(id(article), None)
        self._stand_in = stand_in
        self._anchor_when_shown = None
        self._article = article
        self._layout = None
        self._current = None
        self._to_end = to_end
        self._let_collector_go(freeze=False)
        self._generation += 1
        self.selected = None
        if not self.size.width:
            # Hidden (the narrow list has the screen): laid out once it has its width, rather
            # than at a guessed one that would be drawn for a frame and then redone.
            self._scroll_when_shown = scroll_y
            self._set_length(Size(0, 0))
            return
        self._scroll_when_shown = None
        if kept is not None and kept[1].width == self._text_width():
            # Shown lately (back and forth between posts): its lines, and the strips drawn
            # from them, are as they were.
            self._layout = kept[1]
            self._pending.clear()
            self._to_end = False
            self._set_length(Size(kept[1].width + 2 * _MARGIN, len(kept[1].lines)))
            if to_end:
                self.scroll_end(animate=False, immediate=True)
            else:
                self.scroll_to(y=scroll_y, animate=False, immediate=True)
            self.refresh()
            return
        # An article of ordinary length is laid out whole before its first frame (50 KB: about
        # 15 ms), so that frame is its last: laid out later, its length would follow and draw
        # the scrollbar again. A long one (or a slow machine) shows its first screens at once.
        whole_for = None if article.long else _WHOLE_FIRST_SECONDS
        self._lay_out(upto=int(scroll_y) + 2 * max(self.size.height, 24), then_for=whole_for)
        if not to_end:
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self.refresh()

    def _keep_layout(self) -> None:
        """Keep the article shown's layout when it is whole, has no pictures and is not long."""
        article, layout = self._article, self._layout
        if (
            article is None
            or layout is None
            or self._stand_in
            or self._laying_out
            or article.images
            or len(layout.lines) > _KEPT_LINES
        ):
            return
        kept = self._kept
        kept[id(article)] = (article, layout)
        kept.move_to_end(id(article))
        while len(kept) > _LAYOUTS_KEPT:
            kept.popitem(last=False)

    def keep_laid_out(self, article: RenderedArticle, layout: ArticleLayout) -> None:
        """Keep ``layout`` (made by :func:`lay_out_ahead`) for showing ``article``: shown at
        that width, it is drawn as an article opened again is, with nothing laid out."""
        kept = self._kept
        kept[id(article)] = (article, layout)
        kept.move_to_end(id(article))
        while len(kept) > _LAYOUTS_KEPT:
            kept.popitem(last=False)

    def anchor_line(self, name: str) -> int | None:
        """The line the element with id ``name`` starts on, or None when it has none."""
        layout = self._layout
        if self._laying_out and (layout is None or name not in layout.anchors):
            self._lay_out(until=lambda: self._layout is not None and name in self._layout.anchors)
        return self._layout.anchors.get(name) if self._layout is not None else None

    def scroll_to_anchor(self, name: str) -> bool:
        """Show the element with id ``name`` at the top; False when the article has none."""
        if not self.size.width:
            # Hidden (the narrow list has the screen): scrolled there once it is laid out.
            self._anchor_when_shown = name
            return True
        line = self.anchor_line(name)
        if line is None:
            return False
        if self._laying_out:
            # A screen past it too, or the scroll would stop at the end laid out so far.
            self._lay_out(upto=line + 2 * max(self.size.height, 24))
        # Forced: just laid out, the article may have no scrollbar yet, and Textual refuses
        # to scroll a view without one.
        self.scroll_to(y=line, animate=False, immediate=True, force=True)
        return True

    def restyle(self, article: RenderedArticle) -> None:
        """Replace the article with a re-rendering of it (theme change, page fetched)."""
        # Where the view is going, not where it is: a key's scroll moves it on the next frame,
        # and a re-render in between would otherwise undo the key.
        selected, scroll_y, to_end = self.selected, self.scroll_target_y, self._to_end
        self.show(article, scroll_y=scroll_y)
        self.selected = selected
        if to_end:
            # G was following a long layout to its end (the page fetch failing re-renders
            # it): the new layout is followed there too.
            self._to_end = self._laying_out
            self.scroll_end(animate=False, immediate=True)

    @property
    def _laying_out(self) -> bool:
        """True while lines of the article are still to be laid out."""
        return bool(self._pending) or self._current is not None

    def _lay_out(
        self,
        *,
        upto: int | None = None,
        budget: float | None = None,
        until: Callable[[], bool] | None = None,
        then_for: float | None = None,
    ) -> None:
        """Lay the article out as lines: at least ``upto`` of them (all when None), for at
        most ``budget`` seconds, or until ``until()`` holds; with ``then_for``, past ``upto``
        while this thread has spent under ``then_for`` seconds on it.

        Only the first screens are laid out before the article is drawn; the rest follows a
        slice at a time between frames, so a long article appears at once and every key is
        answered while the rest is laid out.
        """
        if not self.size.width and self._article is not None:
            return  # hidden: see show()
        width = self._text_width()
        if self._article is None:
            self._layout = ArticleLayout(width, [], {}, {})
            self._pending.clear()
            self._current = None
            self._set_length(Size(0, 0))
            return
        if self._layout is None or self._layout.width != width:
            self._layout = ArticleLayout(width, [], {}, {})
            self._pending = deque(self._article.renderables)
            self._current = None
        layout = self._layout
        images = {image.number: image.url for image in self._article.images}
        if not self._laying_out:
            return
        console = self.app.console
        options = console.options.update(width=width, height=None, highlight=False)
        margin = Segment(" " * _MARGIN)
        lines = layout.lines
        started = time.monotonic()
        # then_for counts this thread's own time: on a busy machine the wall clock would cut
        # the layout short and draw the scrollbar twice, for no gain.
        worked = time.thread_time()
        while upto is None or len(lines) < upto or then_for is not None:
            if (
                then_for is not None
                and upto is not None
                and len(lines) >= upto
                and len(lines) % 16 == 0
                and time.thread_time() - worked > then_for
            ):
                break
            if self._current is None:
                if not self._pending:
                    break
                self._current = lines_of(console, self._pending.popleft(), options)
                layout.block_starts.append(len(lines))
            segments = next(self._current, None)
            if segments is None:
                self._current = None
                continue
            index = len(lines)
            picture = _note_line(layout, index, segments)
            if picture is not None:
                position, meta = picture
                segments = self._picture_line(layout, images, meta, index, segments, position)
            lines.append([margin, *segments])
            if index % 16 == 0:
                if until is not None and until():
                    break
                if budget is not None and time.monotonic() - started > budget:
                    break
        if (
            not self._laying_out
            or budget is None
            or self._to_end
            or started - self._sized_at >= _GROWTH_SHOWN
            or self.scroll_y + 3 * self.size.height >= self.virtual_size.height
        ):
            # Near the known end the length follows at once, so scrolling never stops short.
            self._set_length(Size(width + 2 * _MARGIN, len(lines)))
            self._sized_at = time.monotonic()
        if self._to_end:
            self.scroll_end(animate=False, immediate=True)
            self._to_end = self._laying_out
        if self._laying_out:
            if not self._holding and (len(lines) >= _LONG_LAYOUT or self._article.long):
                collector.hold()
                self._holding = True
            generation = self._generation
            self.call_after_refresh(self._lay_out_rest, generation)
        else:
            self._let_collector_go(freeze=True)
        self._ask_for_pictures()

    def _set_length(self, size: Size) -> None:
        """The article's scrollable size is now ``size``: the scrollbar follows.

        ``virtual_size`` is a layout reactive: setting it lays the whole screen out again (tens
        of ms at 120x40, for each step of a long layout). Only this view's scrollbar depends
        on it, and the scrollbar is always there (``overflow-y: scroll``), so the size is set
        without the layout and the scrollbar told (Textual's own step after a layout).
        """
        if size == self.virtual_size:
            return
        self.set_reactive(ArticleView.virtual_size, size)
        self._scroll_update(size)

    def _let_collector_go(self, *, freeze: bool) -> None:
        """Release the collector held for a long layout (freezing what it made, when done)."""
        if self._holding:
            self._holding = False
            collector.release(freeze=freeze)

    def on_unmount(self) -> None:
        """Never leave the collector held."""
        self._let_collector_go(freeze=False)

    def _picture_line(
        self,
        layout: ArticleLayout,
        images: dict[int, str],
        meta: dict[str, object],
        index: int,
        segments: list[Segment],
        position: int,
    ) -> list[Segment]:
        """A line of a picture's held rows: the picture's own line once it is drawn."""
        number, columns, rows = meta.get("image"), meta.get("columns"), meta.get("rows")
        if not (isinstance(number, int) and isinstance(columns, int) and isinstance(rows, int)):
            return segments
        slot = layout.image_slots.get(number)
        if slot is None:
            url = images.get(number)
            if url is None:
                return segments
            slot = layout.image_slots[number] = ImageSlot(number, url, index, columns, rows)
        picture = self._pictures.get(slot.key)
        row = index - slot.line
        if picture is None or not 0 <= row < len(picture):
            return segments
        # Whatever stands before the picture (a quote's bar, a list's indent) stays.
        return [*segments[:position], *picture[row]]

    def draw_picture(
        self, slot: ImageSlot, lines: list[list[Segment]], overlay: str | None = None
    ) -> None:
        """Fill ``slot`` with a drawn picture (one list of segments per row).

        An ``overlay`` (an iTerm2 or Sixel image) is drawn over those lines whenever the whole
        picture is on screen.
        """
        self._asked.discard(slot.key)
        self._pictures[slot.key] = lines
        if overlay is not None:
            self._overlays[slot.key] = overlay
        self._pictures.move_to_end(slot.key)
        while len(self._pictures) > _PICTURES_KEPT:
            key, _lines = self._pictures.popitem(last=False)
            self._overlays.pop(key, None)
        layout = self._layout
        if layout is None:
            return
        # The article may have been laid out again since it asked (its page was read, say):
        # the picture goes wherever rows of its size are held for it now.
        held_now = [held for held in layout.image_slots.values() if held.key == slot.key]
        for current in held_now:
            self._fill(layout, current, lines)

    def _fill(self, layout: ArticleLayout, slot: ImageSlot, lines: list[list[Segment]]) -> None:
        margin = Segment(" " * _MARGIN)
        for row, line in enumerate(lines[: slot.rows]):
            index = slot.line + row
            if index >= len(layout.lines):
                break
            held = layout.lines[index][1:]
            position = next(
                (
                    i
                    for i, segment in enumerate(held)
                    if segment.style is not None
                    and segment.style._meta
                    and "image" in segment.style.meta
                ),
                None,
            )
            if position is None:
                continue
            layout.replace(index, [margin, *held[:position], *line])
        top = int(self.scroll_y)
        start, end = max(slot.line, top), min(slot.line + slot.rows, top + self.size.height)
        if start < end:
            self.refresh(Region(0, start - top, self.size.width, end - start))

    def picture_refused(self, slot: ImageSlot) -> None:
        """Stop waiting for ``slot``'s picture (the screen shows the alt text instead)."""
        self._asked.discard(slot.key)

    def forget_pictures(self) -> None:
        """Drop every drawn picture (images turned off, or drawn another way now)."""
        self._pictures.clear()
        self._asked.clear()
        self._overlays.clear()

    @property
    def images(self) -> list[ArticleImage]:
        """The pictures of the article shown."""
        return self._article.images if self._article is not None else []

    def _overlay_before(self, index: int, top: int) -> Segment | None:
        """The overlay to draw with line ``index``: a picture that ends just above it.

        It goes with the line after the picture, so the picture's own lines are already on
        the terminal when it is drawn over them; and only when all of the picture is on screen.
        """
        layout = self._layout
        if not self._overlays or layout is None:
            return None
        for slot in layout.image_slots.values():
            if slot.line + slot.rows != index or slot.line < top:
                continue
            overlay = self._overlays.get(slot.key)
            if overlay is None:
                return None
            x = self.region.x + _MARGIN + 1
            y = self.region.y + slot.line - top + 1
            # Save the cursor, draw at the picture's first cell, put the cursor back.
            text = f"7[{y};{x}H{overlay}8"
            return Segment(text, None, [(ControlType.CURSOR_FORWARD, 0)])
        return None

    def _ask_for_pictures(self) -> None:
        """Ask for the pictures of held rows on screen or a screen away, once each."""
        layout = self._layout
        if layout is None or not layout.image_slots:
            return
        height = max(self.size.height, 1)
        top = int(self.scroll_y) - height
        bottom = int(self.scroll_y) + 2 * height
        wanted = [
            slot
            for slot in layout.image_slots.values()
            if slot.line < bottom
            and slot.line + slot.rows > top
            and slot.key not in self._pictures
            and slot.key not in self._asked
        ]
        if wanted:
            self._asked.update(slot.key for slot in wanted)
            # After the next frame: the text is drawn before any picture work begins.
            self.call_after_refresh(self.post_message, self.ImagesWanted(self, wanted))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling brings pictures into view: ask for them."""
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._ask_for_pictures()

    def _lay_out_rest(self, generation: int) -> None:
        if generation == self._generation and self._laying_out:
            # Lines on screen are already drawn; only the scrollbar learns the new length.
            self._lay_out(budget=_SLICE_SECONDS)

    def _lay_out_all(self) -> None:
        """Finish the layout at once (tests count every line; keys never wait for this)."""
        if self._laying_out:
            self._lay_out()

    def _lay_out_to_link(self, number: int) -> None:
        """Lay out at least as far as link ``number`` (at once: a link is rarely far)."""
        layout = self._layout
        if self._laying_out and (layout is None or number not in layout.link_lines):
            self._lay_out(
                until=lambda: self._layout is not None and number in self._layout.link_lines
            )

    @property
    def shown_width(self) -> int | None:
        """The width articles are laid out at now, or None while the view is hidden."""
        return self._text_width() if self.size.width else None

    def _text_width(self) -> int:
        """The width the article's text is laid out at, in this view's size."""
        return max(self.size.width - self.scrollbar_size_vertical - 2 * _MARGIN, 20)

    def on_resize(self) -> None:
        """Lay the article out again at the new width, the same text at the top."""
        wanted, self._scroll_when_shown = self._scroll_when_shown, None
        place = None
        layout = self._layout
        resized = layout is not None and layout.width != self._text_width()
        if wanted is None and self.size.width and layout is not None and resized:
            place = _place_of(layout, int(self.scroll_y), laying_out=self._laying_out)
        top = int(self.scroll_y if wanted is None else wanted)
        self._lay_out(upto=top + 2 * max(self.size.height, 24))
        if place is not None:
            wanted = self._line_of(place)
            if self._layout is not None:
                self._set_length(Size(self.virtual_size.width, len(self._layout.lines)))
        if wanted is not None:
            self.scroll_to(y=wanted, animate=False, immediate=True)
        anchor, self._anchor_when_shown = self._anchor_when_shown, None
        if anchor is not None:
            self.scroll_to_anchor(anchor)
        self.refresh()

    def _line_of(self, place: _Place) -> int:
        """The line where ``place`` is now, laying out as far as it (briefly)."""
        layout = self._layout
        if layout is None:
            return 0
        starts = layout.block_starts

        def block_done() -> bool:
            return len(starts) > place.block + 1

        if self._laying_out and not block_done():
            # A block of ordinary length is laid out whole at once; a huge one (a 5 MB
            # paragraph) only for a moment, then its new length is estimated from the widths.
            self._lay_out(until=block_done, budget=_SLICE_SECONDS)
        if place.block >= len(starts):
            return len(layout.lines)
        start = starts[place.block]
        if place.whole and (block_done() or not self._laying_out):
            end = starts[place.block + 1] if block_done() else len(layout.lines)
            line = start + int(place.offset / place.length * (end - start))
        else:
            line = start + place.offset * place.width // layout.width
        if self._laying_out and len(layout.lines) < line + 2 * self.size.height:
            self._lay_out(upto=line + 2 * max(self.size.height, 24))
        return line

    def render_line(self, y: int) -> Strip:
        """One line of the article, with the selected link highlighted."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        layout = self._layout
        width = self.size.width
        base = self.line_style
        if layout is None or index >= len(layout.lines):
            return Strip.blank(width, base)
        strip = layout.strip(index)
        if self.selected is not None and self.selected in layout.lines_with_links.get(index, ()):
            strip = Strip(self._highlight(strip, self.selected))
        strip = strip.crop_extend(scroll_x, scroll_x + width, None).apply_style(base)
        overlay = self._overlay_before(index, scroll_y)
        if overlay is not None:
            strip = Strip([overlay, *strip], strip.cell_length)
        return strip

    def _highlight(self, strip: Strip, number: int) -> list[Segment]:
        selected = self.get_component_rich_style("article-view--link-selected", partial=True)
        return [
            Segment(
                text, (style + selected) if style and style.meta.get("link") == number else style
            )
            if style is not None and style._meta
            else Segment(text, style, control)
            for text, style, control in strip
        ]

    # -- link selection --------------------------------------------------------------------

    def select_link(self, number: int | None, *, scroll: bool = True) -> None:
        """Select link ``number`` (None clears the selection), scrolled into view if ``scroll``."""
        previous = self.selected
        self.selected = number
        if number is not None:
            self._lay_out_to_link(number)
        layout = self._layout
        if scroll and number is not None and layout is not None and number in layout.link_lines:
            line = layout.link_lines[number]
            self.scroll_to_region(
                Region(0, line, 1, 1), animate=False, immediate=True, spacing=None
            )
        self._refresh_link_lines(previous)
        self._refresh_link_lines(number)
        self.post_message(self.LinkSelected(self, self.selected_link))

    def _refresh_link_lines(self, number: int | None) -> None:
        layout = self._layout
        if number is None or layout is None:
            return
        top = int(self.scroll_y)
        for index, numbers in layout.lines_with_links.items():
            if number in numbers and top <= index < top + self.size.height:
                self.refresh(Region(0, index - top, self.size.width, 1))

    def action_next_link(self) -> None:
        """Select the next link, wrapping to the first."""
        self._step_link(+1)

    def action_previous_link(self) -> None:
        """Select the previous link, wrapping to the last."""
        self._step_link(-1)

    def _step_link(self, step: int) -> None:
        if step > 0 and self._laying_out and self._layout is not None:
            # Only as far as the first link below the view: tab never waits for the whole of
            # a long article, nor throws the view back to its top for a link not laid out yet.
            below, first_lines = int(self.scroll_y) + self.size.height, self._layout.link_lines
            self._lay_out(until=lambda: any(line >= below for line in first_lines.values()))
        layout = self._layout
        target = link_to_select(
            [link.number for link in self.links],
            layout.link_lines if layout is not None else {},
            self.selected,
            int(self.scroll_y),
            self.size.height,
            step,
        )
        if target is None:
            self.post_message(self.LinkSelected(self, None))
            return
        self.select_link(target)

    @property
    def at_end(self) -> bool:
        """The article's last line is in view, or will be once a scroll under way is over (and
        it is all laid out: a long article still growing has no end yet)."""
        if self._article is None or self._laying_out or self._stand_in:
            return False
        return round(self.scroll_target_y) >= self.max_scroll_y

    def action_read_on(self) -> None:
        """Space: down a page; at the article's end, on to what :attr:`ended` opens."""
        if self.at_end:
            self.ended()
        else:
            self.action_page_down()

    def action_scroll_end(self) -> None:
        """To the end of the article; a long one follows its layout there as it grows."""
        self._to_end = self._laying_out or self._stand_in
        super().action_scroll_end()

    def action_scroll_home(self) -> None:
        """To the top (and no longer after the end of a layout still growing)."""
        self._to_end = False
        super().action_scroll_home()

    def action_scroll_up(self) -> None:
        """Up a line (and no longer after the end of a layout still growing)."""
        self._to_end = False
        super().action_scroll_up()

    def action_page_up(self) -> None:
        """Up a page (and no longer after the end of a layout still growing)."""
        self._to_end = False
        super().action_page_up()

    def action_follow(self) -> None:
        """Follow the selected link."""
        link = self.selected_link
        if link is not None:
            self.post_message(self.LinkFollowed(self, link))
        else:
            # Nothing selected: the screen shows a hint in the status line.
            self.post_message(self.LinkSelected(self, None))

    def follow_number(self, number: int) -> bool:
        """Follow link ``number``; False when the article has no such link."""
        link = next((lk for lk in self.links if lk.number == number), None)
        if link is None:
            return False
        # Not scrolled to: the reader is leaving, and back must return to where they read.
        self.select_link(number, scroll=False)
        self.post_message(self.LinkFollowed(self, link))
        return True


def _note_line(
    layout: ArticleLayout, index: int, segments: list[Segment]
) -> tuple[int, dict[str, object]] | None:
    """Note where line ``index`` of ``layout`` has links and anchors; for a line of a
    picture's held rows, the position of its first such segment and that segment's meta."""
    found = set()
    picture = None
    for position, segment in enumerate(segments):
        style = segment.style
        if style is not None and style._meta:
            meta = style.meta
            anchor = meta.get("anchor")
            if isinstance(anchor, str):
                layout.anchors.setdefault(anchor, index)
            number = meta.get("link")
            if isinstance(number, int):
                found.add(number)
                layout.link_lines.setdefault(number, index)
            elif "image" in meta:
                picture = (position, meta)
                break
    if found:
        layout.lines_with_links[index] = frozenset(found)
    return picture


def lay_out_ahead(console: Console, article: RenderedArticle, width: int) -> ArticleLayout | None:
    """``article`` laid out whole at text ``width``, as the view lays it out, before it is
    shown (anywhere: it only reads the console); None for one it does not keep (pictures,
    or too long)."""
    if article.images:
        return None
    options = console.options.update(width=width, height=None, highlight=False)
    margin = Segment(" " * _MARGIN)
    layout = ArticleLayout(width, [], {}, {})
    lines = layout.lines
    for block in article.renderables:
        layout.block_starts.append(len(lines))
        for segments in lines_of(console, block, options):
            _note_line(layout, len(lines), segments)
            lines.append([margin, *segments])
            if len(lines) > _KEPT_LINES:
                return None
    return layout


class _Place(NamedTuple):
    """A place in the article that stays put when the width changes."""

    block: int
    """The block (paragraph, table, figure...) of the article."""
    offset: int
    """Lines into the block."""
    length: int
    """The block's lines (as far as laid out)."""
    whole: bool
    """Whether the block was laid out whole."""
    width: int
    """The width it was laid out at."""


def _place_of(layout: ArticleLayout, top: int, *, laying_out: bool) -> _Place | None:
    """Where line ``top`` is in the article: its block, and how far into it."""
    starts = layout.block_starts
    block = bisect_right(starts, top) - 1
    if block < 0:
        return None
    last = block + 1 >= len(starts)
    end = len(layout.lines) if last else starts[block + 1]
    if top >= end:
        return None
    whole = not (last and laying_out)
    return _Place(block, top - starts[block], end - starts[block], whole, layout.width)
