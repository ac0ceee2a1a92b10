"""The sidebar: sections, then topics, then bookmarks, each opening to its posts.

Built on Textual's ``Tree``, which repaints only the lines whose highlight changed when the
cursor moves: that is what keeps a cursor move cheap over SSH. Posts are loaded when a group is
opened, titles only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Self

from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets._tree import _TreeLine
from textual.widgets.tree import TreeNode

from reader.core.models import PostSummary, Section, SectionKind
from reader.core.navigation import AllOf, Category, Group, Shelf
from reader.core.records import record
from reader.ui import collector, keys
from reader.ui.line_style import StyledOncePerPaint

UNREAD_MARK = "● "
"""Before the title of an unread post."""
BOOKMARK_MARK = "★ "
"""Before the title of a bookmarked post, after the unread mark's place."""
_FIRST_POSTS = 200
"""Posts a long list shows at once: a screenful; the rest join it a few frames later."""
_SLICE = 2_000
"""Lines made per frame for the rest of a long list (about 10 ms of work each)."""
_FROZEN_FROM = 2_000
"""Lines added at once from which they are frozen out of the collector's walks."""
_FOCUS_FREE = (
    "tree--guides",
    "tree--guides-hover",
    "tree--label",
    "tree--highlight",
    "tree--highlight-line",
    "sidebar--unread",
    "sidebar--bookmark",
)
"""The sidebar's parts that look the same with focus or without (its CSS makes them so):
only the cursor's line and the guides below it change when focus moves."""


@dataclass
class Entry:
    """What a sidebar line stands for: a group of posts, one post, or a heading (no group)."""

    group: Group | None
    post: PostSummary | None = None
    loaded: bool = False


@record
class SourceTree:
    """One source's part of the sidebar, when several sources are read."""

    key: str
    """The source's key (stable across syncs, even before it has rows)."""
    source_id: int
    """Its id in the store; 0 before its first sync."""
    name: str
    count: int
    unread: int
    sections: tuple[Section, ...] | None
    """Its sections and topics; None while its tree is closed and was never opened (read
    from the store when it opens: fifty sources' counts at start-up cost seconds)."""
    problem: str = ""
    """What went wrong in its last refresh, shown under its name; "" when nothing did."""


def _shape_of(tree: SourceTree) -> tuple[object, ...]:
    """What decides a source tree's lines (a change rebuilds the sidebar; counts do not)."""
    found = None if tree.sections is None else tuple((s.slug, s.kind) for s in tree.sections)
    return (tree.key, tree.source_id, tree.problem, found)


def group_label(name: str, count: int, unread: int) -> Text:
    """ "News  3/25": unread over total; plain count when all are read."""
    label = Text(name, style="bold")
    tail = f" {unread}/{count}" if unread else f" {count}"
    label.append(tail, style="dim")
    return label


def post_label(post: PostSummary) -> Text:
    """A post's line: an unread dot, a bookmark mark, the title (never parsed as markup).

    The marks get their colours when the line is drawn (:meth:`Sidebar.render_label`), so a
    new theme recolours them without rebuilding every label.
    """
    label = Text("  " if post.read else UNREAD_MARK)
    if post.bookmarked:
        label.append(BOOKMARK_MARK)
    label.append(post.title, style="" if post.read else "bold")
    return label


def _relabel(node: TreeNode[Entry], label: Text) -> None:
    """Set a label only when it changed, and repaint its line alone.

    ``set_label`` repaints the node's line and those of all its children: a group's count
    changing after a read mark (``News 3/25``) repainted every post listed under it, the
    whole sidebar, for one line that changed. The children's lines look the same.
    """
    current = node.label
    if (current.plain if isinstance(current, Text) else current) == label.plain:
        return
    tree = node.tree
    if not node.children or not isinstance(tree, Sidebar):
        node.set_label(label)
        return
    node._label = tree.process_label(label)
    node._updates += 1
    if node.line >= 0:
        tree.refresh_line(node.line)


class Sidebar(StyledOncePerPaint, Tree[Entry]):
    """Sections, topics and bookmarks with their posts.

    | Key | Does |
    | --- | --- |
    | j / k, arrows | move |
    | enter | open the post, or open/close the group |
    | space | open/close the group |
    """

    BINDINGS = [*keys.SIDEBAR]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"sidebar--unread", "sidebar--bookmark"}
    """
    | Class | Description |
    | :- | :- |
    | `sidebar--unread` | The dot before an unread post. |
    | `sidebar--bookmark` | The star before a bookmarked post. |
    """

    DEFAULT_CSS = """
    Sidebar {
        background: $panel;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        /* The same tint and guides with focus or without (Tree changes both on focus, which
           made every line of the sidebar drawn again when an article opened): focus shows in
           the cursor's colours, and in the article's own tint. */
        background-tint: $foreground 5%;
        &:focus {
            background-tint: $foreground 5%;
        }
        /* Tree sets no text colour on a blurred cursor, which some themes draw white on
           white; name it, so the highlighted post stays readable when the article has focus. */
        & > .tree--cursor {
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .tree--cursor {
            color: $block-cursor-foreground;
        }
        /* Tree draws its guides in a shade of the surface, which is the background itself in
           black-and-white themes. */
        & > .tree--guides, & > .tree--guides-hover,
        &:focus > .tree--guides, &:focus > .tree--guides-hover,
        &:light > .tree--guides, &:light > .tree--guides-hover {
            color: $text-muted;
        }
        & > .sidebar--unread {
            color: $reader-unread;
            text-style: bold;
        }
        & > .sidebar--bookmark {
            color: $reader-bookmark;
            text-style: bold;
        }
    }
    """

    class PostChosen(Message):
        """The reader pressed enter on a post."""

        def __init__(self, sidebar: Sidebar, post: PostSummary, group: Group) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.post = post
            self.group = group
            """The list the post was chosen in."""

        @property
        def control(self) -> Sidebar:
            """The sidebar the post was chosen in."""
            return self.sidebar

    class GroupOpened(Message):
        """A group was opened and needs its posts."""

        def __init__(self, sidebar: Sidebar, group: Group) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.group = group

        @property
        def control(self) -> Sidebar:
            """The sidebar."""
            return self.sidebar

    # Class-wide first values: Tree's own start repaints before ``__init__`` sets anything.
    _painted: tuple[object, ...] | None = None
    """What the last paint drew with, but for focus (see :meth:`_paint_state`)."""
    _focus_restyle = False
    """Within the restyle that follows focus moving: the styles change only by it."""
    _focus_look_pending = False
    """Focus moved since the last paint: a whole repaint asked for meanwhile need draw only
    the lines whose look follows focus (see :meth:`refresh`)."""

    def __init__(self, *, id: str | None = None) -> None:
        # Before Tree's own start, which numbers the lines once.
        self._made: dict[int, tuple[_TreeLine[Entry], list[TreeNode[Entry]], Text, int]] = {}
        """What the last numbering made of each line, by node id: the line, the path above
        it, the label measured and the line's width (see :meth:`_build`)."""
        self._root_path: list[TreeNode[Entry]] = []
        """The path above the top lines: one list for every numbering, so theirs are kept."""
        super().__init__("Posts", data=Entry(None), id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self._groups: dict[Group, TreeNode[Entry]] = {}
        self._headings: dict[str, TreeNode[Entry]] = {}
        """With several sources: each source's heading, by its key."""
        self._unfilled: dict[str, SourceTree] = {}
        """Sources whose trees have no sections yet (never opened), by key."""
        self.sections_of: Callable[[int], Sequence[Section]] = lambda source_id: ()
        """Reads a source's sections and topics when its tree first opens (set by the screen)."""
        self._shape: tuple[tuple[object, ...], ...] = ()
        self._wanted_post: tuple[Group, int, int] | None = None
        """The list and post the cursor was on before a rebuild (and the reader's move count
        then), until that list is filled again."""
        """What the source trees were built from, to rebuild only when it changes."""
        self._fills: dict[Group, int] = {}
        """Per group, how many times it was filled: a stale gradual fill stops."""
        self.made_lines = 0
        """Post lines made so far (each a label and a node): what a refill costs."""
        self._holds: dict[Group, int] = {}
        """Gradual fills holding the collector (the group and its fill's number)."""
        self._tags: dict[Group, Text] = {}
        """Tags the reader opened, with their labels: kept across rebuilds."""
        self._tag_heading: TreeNode[Entry] | None = None
        self.moves = 0
        """How many times the reader moved the cursor (keys or mouse; never the reader's own
        moves, such as following the open article): the screen compares it to know whether
        the highlighted post is what the reader is looking at."""

    # The reader's own cursor moves, counted; Tree's actions do the moving.

    def action_cursor_down(self) -> None:
        """Down one line."""
        self.moves += 1
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Up one line."""
        self.moves += 1
        super().action_cursor_up()

    def action_page_down(self) -> None:
        """Down a page."""
        self.moves += 1
        super().action_page_down()

    def action_page_up(self) -> None:
        """Up a page."""
        self.moves += 1
        super().action_page_up()

    def action_scroll_home(self) -> None:
        """To the first line."""
        self.moves += 1
        super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """To the last line."""
        self.moves += 1
        super().action_scroll_end()

    def action_cursor_parent(self) -> None:
        """To the group of this post."""
        self.moves += 1
        super().action_cursor_parent()

    def action_cursor_parent_next_sibling(self) -> None:
        """To the group after this post's group."""
        self.moves += 1
        super().action_cursor_parent_next_sibling()

    def action_cursor_previous_sibling(self) -> None:
        """To the line before, at this depth."""
        self.moves += 1
        super().action_cursor_previous_sibling()

    def action_cursor_next_sibling(self) -> None:
        """To the line after, at this depth."""
        self.moves += 1
        super().action_cursor_next_sibling()

    def on_click(self) -> None:
        """A click moves the cursor too."""
        self.moves += 1

    def notify_style_update(self) -> None:
        """A restyle (a theme, say) repaints the lines, no more; focus moving, fewer still.

        Tree's own answer rebuilds its lines and lays the whole screen out again (about a
        third of the time an article took to open); a style changes how a line looks, never
        how many lines there are or how wide, so a repaint does. Focus moving changes only
        the lines :meth:`refresh` names; Tree's drawn lines are kept by focus state already.
        """
        Widget.notify_style_update(self)
        if not self._focus_restyle:
            self._line_cache.clear()  # the drawn lines only; not the lines' list (a rebuild)
            self._updates += 1
        self.refresh()

    def watch_has_focus(self, has_focus: bool) -> None:
        """Focus moved: the restyle it brings changes the cursor's line, not the list."""
        self._focus_restyle = True
        self._focus_look_pending = True
        try:
            super().watch_has_focus(has_focus)
        finally:
            self._focus_restyle = False

    def focus(self, scroll_visible: bool = True) -> Self:
        """Focus, when it moves here, repaints only the lines that follow it (Textual's
        ``focus`` asks for a whole repaint before the focus itself moves)."""
        if not self.has_focus:
            self._focus_look_pending = True
        return super().focus(scroll_visible)

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        """Repaint; after focus moved, only the lines whose look follows it.

        Focus moving repaints the whole widget three times over in Textual (the restyle, its
        component classes, the blur itself), and drawing the sidebar's 37 lines again was
        35-60 ms of every article's opening. When nothing else a line is drawn from changed
        since the last paint, only the cursor's line and those under it (their guides) look
        different; anything else changed, and it is the whole repaint it always was.
        """
        if self._focus_look_pending and not regions and repaint and not (layout or recompose):
            lines = self._lines_following_focus()
            if lines is not None:
                return super().refresh(*lines) if lines else self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _paint_state(self) -> tuple[object, ...]:
        """Everything but focus that a paint's lines are drawn from."""
        return (
            self.scroll_offset,
            self.size,
            self.virtual_size,
            self._updates,
            id(self._tree_lines_cached),
            self.cursor_line,
            self.hover_line,
            self.rich_style,
            *(self.get_component_rich_style(name, partial=True) for name in _FOCUS_FREE),
        )

    def _lines_following_focus(self) -> list[Region] | None:
        """The view's regions whose look follows focus; None when more than focus changed."""
        if self._painted is None or self._painted != self._paint_state():
            return None
        lines = self._tree_lines_cached
        cursor = self.cursor_line
        if lines is None or not 0 <= cursor < len(lines):
            return []
        top = self.scroll_offset.y
        bottom = min(len(lines), top + self.size.height)
        # Under the cursor's node, the guides are drawn in the selected colour with focus.
        depth = len(lines[cursor].path) - 1
        node = lines[cursor].path[-1]
        end = cursor + 1
        while end < bottom and len(lines[end].path) > depth and lines[end].path[depth] is node:
            end += 1
        start, stop = max(cursor, top), min(end, bottom)
        if start >= stop:
            return []
        return [Region(0, start - top, self.size.width, stop - start)]

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of ``crop``; what they were drawn from is noted for :meth:`refresh`."""
        self._focus_look_pending = False
        strips = super().render_lines(crop)
        self._painted = self._paint_state()
        return strips

    def _build(self) -> None:
        """Tree's own numbering of its lines, keeping what the last one made of each.

        Every change to a Tree makes all its lines again: a line object and a path for each,
        and each label measured (11,000 titles at the end of a refresh: 40-60 ms of the
        loop). A line whose place is unchanged (the same line above it in the tree, and still
        the last of its group or not) keeps its object and its width; kept by node id, anew
        each time, so a line that left the tree leaves the cache too (nothing in a line refers
        back to it: a post's line stays free of reference cycles, see collector).
        """
        kept = self._made
        made: dict[int, tuple[_TreeLine[Entry], list[TreeNode[Entry]], Text, int]] = {}
        lines: list[_TreeLine[Entry]] = []
        add_line = lines.append
        guide_depth = self.guide_depth
        show_root = self.show_root
        widest = 0

        def add_node(path: list[TreeNode[Entry]], node: TreeNode[Entry], last: bool) -> None:
            nonlocal widest
            known = kept.get(node._id)
            # The node itself, not only its id: Tree.clear numbers new nodes from 0 again.
            line_kept = known is not None and known[0].path[-1] is node
            if known is not None and line_kept and known[1] is path and known[0].last is last:
                line, _, measured, width = known
                if measured is not node._label:
                    measured = node._label
                    width = self.get_label_width(node) + line._get_guide_width(
                        guide_depth, show_root
                    )
            else:
                line = _TreeLine([*path, node], last)
                measured = node._label
                width = self.get_label_width(node) + line._get_guide_width(guide_depth, show_root)
            made[node._id] = (line, path, measured, width)
            widest = max(widest, width)
            node._line = len(lines)
            add_line(line)
            if node._expanded:
                children = node._children
                final = len(children) - 1
                child_path = line.path
                for index, child in enumerate(children):
                    add_node(child_path, child, index == final)

        if show_root:
            add_node(self._root_path, self.root, True)
        else:
            for node in self.root._children:
                add_node(self._root_path, node, True)  # as Tree has it: each top line "last"
        self._made = made
        self._tree_lines_cached = lines
        self.virtual_size = Size(widest if lines else self.size.width, len(lines))
        if self.cursor_line != -1:
            if self.cursor_node is not None:
                self.cursor_line = self.cursor_node._line
            if self.cursor_line >= len(lines):
                self.cursor_line = -1

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the view, as Tree draws it, with the style worked out once a paint."""
        scroll_x, scroll_y = self.scroll_offset
        style = self.line_style
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    def process_label(self, label: str | Text) -> Text:
        """Use our labels as they are: never markup, and already one line.

        Tree would parse a ``str`` as markup and split every label into lines; our labels are
        ``Text`` built from cleaned one-line titles, and skipping the split saves a third of
        the time it takes to fill a list of a thousand posts.
        """
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return Text(str(label)).split()[0] if not isinstance(label, Text) else label.split()[0]

    def get_label_width(self, node: TreeNode[Entry]) -> int:
        """A post's line is as wide as its label: :meth:`render_label` only colours it.

        Tree measures every line after each change by rendering it (a copy of the label per
        post); measuring the label itself spares those copies.
        """
        label = node.label
        if node.data is not None and node.data.post is not None and isinstance(label, Text):
            return label.cell_len
        # Tree's own drawing, uncut: the line's full width, whatever the sidebar's is now.
        return Tree.render_label(self, node, Style(), Style()).cell_len

    def _fitted(self, node: TreeNode[Entry], label: Text) -> Text:
        """The label cut to the width left after its guides, ending in "…" when cut."""
        lines = self._tree_lines_cached
        if lines is None or not 0 <= node._line < len(lines):
            return label
        # The scrollbar's column, when there is one, hides the label's last cells.
        room = self.scrollable_content_region.width - lines[node._line]._get_guide_width(
            self.guide_depth, self.show_root
        )
        if room <= 0 or label.cell_len <= room:
            return label
        label.truncate(room, overflow="ellipsis")
        return label

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
        """A post's line with its marks in the theme's colours; the cursor's colours win."""
        post = node.data.post if node.data is not None else None
        if post is None:
            return self._fitted(node, super().render_label(node, base_style, style))
        shown = node.label  # always Text here: process_label makes it so
        label = shown.copy() if isinstance(shown, Text) else Text(shown)
        if not post.read:
            unread = self.get_component_rich_style("sidebar--unread", partial=True)
            label.stylize(unread, 0, len(UNREAD_MARK))
        if post.bookmarked:
            start = len(UNREAD_MARK)
            bookmark = self.get_component_rich_style("sidebar--bookmark", partial=True)
            label.stylize(bookmark, start, start + len(BOOKMARK_MARK))
        label.stylize(style)
        return self._fitted(node, label)

    def scroll_to_line(self, line: int, animate: bool = True) -> None:
        """Keep ``line`` in view, turning a whole page when it leaves it.

        Tree scrolls one line at a time, which repaints the whole list on every cursor move
        past the edge (about 6 KB at 120x40). Turning the page (one line of the old page kept
        for context) repaints it once a screenful of moves instead: that keeps moving through
        a long list cheap over SSH, as in newsboat or less.
        """
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        if height <= 0 or top <= line < top + height:
            return
        if line == top + height:  # stepped off the bottom: this line goes near the top
            target = line - 1
        elif line == top - 1:  # stepped off the top: this line goes near the bottom
            target = line - height + 2
        else:  # a jump (search, link, n/p): centre it
            target = line - height // 2
        # Forced: lines added since the last layout (an opened tag's) have no scrollbar yet,
        # and without one Textual refuses to scroll.
        self.scroll_to(y=max(0, target), animate=False, immediate=True, force=True)

    def set_groups(
        self, sections: list[Section], bookmarks: int, *, all_posts: tuple[int, int] | None = None
    ) -> None:
        """Show these groups, keeping opened ones open and their posts in place."""
        wanted: list[tuple[Group, Text]] = []
        if all_posts is not None:
            wanted.append((Shelf.ALL_POSTS, group_label("All posts", *all_posts)))
        for section in sections:
            if section.kind is SectionKind.SECTION:
                label = group_label(section.name, section.count, section.unread)
                wanted.append((section.slug, label))
        topics = [s for s in sections if s.kind is SectionKind.TOPIC]
        if not self._groups:
            self._rebuild_groups(wanted, topics, bookmarks)
            return
        for group, label in wanted:
            node = self._groups.get(group)
            if node is not None:
                _relabel(node, label)
        for topic in topics:
            node = self._groups.get(topic.slug)
            if node is not None:
                _relabel(node, group_label(topic.name, topic.count, topic.unread))
        if Shelf.BOOKMARKS in self._groups:
            _relabel(self._groups[Shelf.BOOKMARKS], group_label("Bookmarks", bookmarks, 0))
        known = set(self._groups)
        if any(g not in known for g, _ in wanted) or any(t.slug not in known for t in topics):
            self._rebuild_groups(wanted, topics, bookmarks)

    def _rebuild_groups(
        self,
        wanted: list[tuple[Group, Text]],
        topics: list[Section],
        bookmarks: int,
    ) -> None:
        opened = {group for group, node in self._groups.items() if node.is_expanded}
        kept = self._cursor_place()
        self.clear()
        self._groups = {}
        self._tag_heading = None
        for group, label in wanted:
            self._groups[group] = self.root.add(label, data=Entry(group))
        if topics:
            # A heading, not a list: it holds the topics and always opens with them.
            header = self.root.add(Text("Topics", style="bold"), data=Entry(None))
            for topic in topics:
                label = group_label(topic.name, topic.count, topic.unread)
                self._groups[topic.slug] = header.add(label, data=Entry(topic.slug))
            header.expand()
        self._add_tag_heading()
        self._groups[Shelf.BOOKMARKS] = self.root.add(
            group_label("Bookmarks", bookmarks, 0), data=Entry(Shelf.BOOKMARKS)
        )
        for group in opened:
            if group in self._groups:
                self._groups[group].expand()
        self._put_cursor_back(kept)

    def set_trees(self, trees: list[SourceTree], bookmarks: int, unread: tuple[int, int]) -> None:
        """One tree per source (name, problem, sections, topics), then Unread and Bookmarks.

        Opened groups and sources stay open; only labels change unless the shape did.
        """
        shape = tuple(_shape_of(t) for t in trees)
        if shape != self._shape or not self._groups:
            self._shape = shape
            self._rebuild_trees(trees, bookmarks, unread)
            return
        for tree in trees:
            heading = self._headings.get(tree.key)
            if heading is not None:
                _relabel(heading, group_label(tree.name, tree.count, tree.unread))
            if tree.key in self._unfilled:
                self._unfilled[tree.key] = tree
                if heading is not None:
                    # A source whose first posts came in this sync can open now.
                    heading.allow_expand = bool(tree.count or tree.problem)
            for section in tree.sections or ():
                node = self._groups.get(Category(section.slug, tree.source_id))
                if node is not None:
                    _relabel(node, group_label(section.name, section.count, section.unread))
            node = self._groups.get(AllOf(tree.source_id))
            if node is not None:
                _relabel(node, group_label("All posts", tree.count, tree.unread))
        _relabel(self._groups[Shelf.UNREAD], group_label("Unread", unread[1], 0))
        _relabel(self._groups[Shelf.BOOKMARKS], group_label("Bookmarks", bookmarks, 0))

    def _rebuild_trees(
        self, trees: list[SourceTree], bookmarks: int, unread: tuple[int, int]
    ) -> None:
        opened = {group for group, node in self._groups.items() if node.is_expanded}
        kept = self._cursor_place()
        first_build = not self._headings
        open_headings = {key for key, node in self._headings.items() if node.is_expanded}
        self.clear()
        self._groups = {}
        self._tag_heading = None
        self._headings = {}
        self._unfilled = {}
        for index, tree in enumerate(trees):
            heading = self.root.add(
                group_label(tree.name, tree.count, tree.unread), data=Entry(None)
            )
            self._headings[tree.key] = heading
            if tree.problem:
                heading.add_leaf(Text(f"⚠ {tree.problem}", style="italic"), data=Entry(None))
            if tree.sections is None:
                self._unfilled[tree.key] = tree
                heading.allow_expand = bool(tree.count or tree.problem)
            else:
                self._fill(heading, tree, tree.sections)
            # The first source opens on the first start; after that, what the reader opened.
            if tree.key in open_headings or (first_build and index == 0):
                self._fill_unfilled(tree.key)
                heading.expand()
        self._add_tag_heading()
        self._groups[Shelf.UNREAD] = self.root.add(
            group_label("Unread", unread[1], 0), data=Entry(Shelf.UNREAD)
        )
        self._groups[Shelf.BOOKMARKS] = self.root.add(
            group_label("Bookmarks", bookmarks, 0), data=Entry(Shelf.BOOKMARKS)
        )
        for was_open in opened:
            if was_open in self._groups:
                self._groups[was_open].expand()
        self._put_cursor_back(kept)

    def _fill(self, heading: TreeNode[Entry], tree: SourceTree, found: Sequence[Section]) -> None:
        """Add a source's sections (or its "All posts") and topics under its heading."""
        sections = [s for s in found if s.kind is SectionKind.SECTION]
        topics = [s for s in found if s.kind is SectionKind.TOPIC]
        if not sections and tree.count:
            label = group_label("All posts", tree.count, tree.unread)
            self._groups[AllOf(tree.source_id)] = heading.add(
                label, data=Entry(AllOf(tree.source_id))
            )
        for section in sections:
            group: Group = Category(section.slug, tree.source_id)
            label = group_label(section.name, section.count, section.unread)
            self._groups[group] = heading.add(label, data=Entry(group))
        if topics:
            header = heading.add(Text("Topics", style="bold"), data=Entry(None))
            for topic in topics:
                group = Category(topic.slug, tree.source_id)
                label = group_label(topic.name, topic.count, topic.unread)
                self._groups[group] = header.add(label, data=Entry(group))
            header.expand()

    def _fill_unfilled(self, key: str) -> None:
        """Read and add the sections of a source whose tree never opened; no-op otherwise."""
        tree = self._unfilled.pop(key, None)
        heading = self._headings.get(key)
        if tree is None or heading is None:
            return
        found = tuple(self.sections_of(tree.source_id)) if tree.source_id else ()
        self._fill(heading, tree, found)
        # What set_trees compares with: this tree now has its sections.
        filled = _shape_of(replace(tree, sections=found))
        self._shape = tuple(filled if entry[0] == key else entry for entry in self._shape)

    @property
    def filled_sources(self) -> set[str]:
        """Keys of the sources whose trees hold their sections (opened once, or given them)."""
        return set(self._headings) - set(self._unfilled)

    def add_tag(self, group: Group, name: str, count: int, unread: int) -> None:
        """List a tag the reader opened, under a "Tags" heading before the shelves.

        A site has hundreds of tags, too many to list; one opened from a link or a post's
        topics stays listed (until the reader quits) so it can be opened again.
        """
        label = group_label(name, count, unread)
        self._tags[group] = label
        node = self._groups.get(group)
        if node is not None:
            _relabel(node, label)
            return
        if self._tag_heading is None:
            shelf = self._groups.get(Shelf.UNREAD) or self._groups.get(Shelf.BOOKMARKS)
            self._tag_heading = self.root.add(
                Text("Tags", style="bold"), data=Entry(None), before=shelf, expand=True
            )
        self._groups[group] = self._tag_heading.add(label, data=Entry(group))

    @property
    def opened_tags(self) -> list[Group]:
        """The tags listed under "Tags", in the order they were opened."""
        return list(self._tags)

    def _add_tag_heading(self) -> None:
        """The opened tags again, after a rebuild cleared the tree."""
        if not self._tags:
            return
        self._tag_heading = self.root.add(Text("Tags", style="bold"), data=Entry(None))
        for group, label in self._tags.items():
            self._groups[group] = self._tag_heading.add(label, data=Entry(group))
        self._tag_heading.expand()

    def _cursor_place(self) -> tuple[Group | None, int | None, str | None]:
        """What the cursor is on: its list and post, or the source heading it is on."""
        node = self.cursor_node
        if node is None or node.data is None:
            return None, None, None
        if node.data.group is not None:
            post = node.data.post
            return node.data.group, post.id if post is not None else None, None
        heading = next((key for key, head in self._headings.items() if head is node), None)
        return None, None, heading

    def _put_cursor_back(self, place: tuple[Group | None, int | None, str | None]) -> None:
        """After a rebuild, the cursor goes back to what it was on, not to its old line.

        A tree that grew or shrank above it (a source's trouble said, or cleared) would
        otherwise leave it on whatever line now sits there, a heading as often as not. A
        post comes back when its list is filled again (see set_posts).
        """
        group, post_id, heading = place
        node = self._groups.get(group) if group is not None else self._headings.get(heading or "")
        if node is None:
            return
        self._wanted_post = None
        if group is not None and post_id is not None:
            self._wanted_post = (group, post_id, self.moves)
        _ = self._tree_lines  # number the new lines (see show_post)
        self.move_cursor(node)

    def _post_back(self, node: TreeNode[Entry], group: Group) -> None:
        """Put the cursor back on the post it was on before a rebuild, once it is listed."""
        if self._wanted_post is None or self._wanted_post[0] != group:
            return
        post_id, moves = self._wanted_post[1:]
        if moves != self.moves:
            self._wanted_post = None  # the reader has moved it since: leave it there
            return
        _ = self._tree_lines
        for child in node.children:
            post = child.data.post if child.data is not None else None
            if post is not None and post.id == post_id:
                self._wanted_post = None
                self.move_cursor(child)
                return

    def set_posts(self, group: Group, posts: list[PostSummary]) -> None:
        """Fill ``group`` with its posts, keeping the cursor on the same post."""
        node = self._groups.get(group)
        if node is None:
            return
        shown = [c.data.post for c in node.children if c.data is not None]
        if node.data is not None and node.data.loaded and shown == posts:
            return  # nothing changed: rebuilding thousands of lines would stall the screen
        cursor = self.cursor_node
        cursor_id = cursor.data.post.id if cursor and cursor.data and cursor.data.post else None
        first_fill = not node.children
        # A refill cancels the rest of a gradual fill still under way for this group.
        self._fills[group] = self._fills.get(group, 0) + 1
        assert node.data is not None
        node.data.loaded = True
        if not first_fill:
            self._refill(node, group, posts)
        elif len(posts) > 2 * _FIRST_POSTS:
            # A screenful now, the rest after the first frame: a list of thousands would
            # otherwise hold up the first screen by tens of milliseconds.
            self._add_lines(node, self._post_lines(node, group, posts[:_FIRST_POSTS]))
            self._post_back(node, group)
            rest = posts[_FIRST_POSTS:]
            # No collector walks while the rest is made: each quarter more objects would set
            # one off, over every line made so far (50-100 ms each at 11,000 posts).
            self._hold_collector(group)
            self.call_after_refresh(
                self._make_rest_of_list, node, group, rest, [], self._fills[group]
            )
            return
        else:
            self._add_lines(node, self._post_lines(node, group, posts))
        self._post_back(node, group)
        if cursor is None or cursor_id is None or cursor.data is None or cursor.data.group != group:
            return
        # New lines are numbered when the tree next draws; a node without its line number
        # would put the cursor on line 0, the first group's heading. Number them now.
        _ = self._tree_lines
        ids = [post.id for post in posts]
        if cursor_id in ids:
            self.move_cursor(node.children[ids.index(cursor_id)])
        elif node.children:
            # The post left the list: its neighbour, never the heading.
            self.move_cursor(node.children[min(self._line_in(node, cursor), len(ids) - 1)])

    @staticmethod
    def _line_in(node: TreeNode[Entry], child: TreeNode[Entry]) -> int:
        """Where ``child`` was among ``node``'s posts (by its old line), 0 if unknown."""
        return max(child.line - node.line - 1, 0) if child.line >= 0 and node.line >= 0 else 0

    def _make_rest_of_list(
        self,
        node: TreeNode[Entry],
        group: Group,
        rest: list[PostSummary],
        made: list[TreeNode[Entry]],
        fill: int,
    ) -> None:
        """Make the rest of a long list's lines a slice per frame, then add them all at once.

        Each addition to a Tree rebuilds all of its lines and lays the screen out again: a
        screenful added per frame rebuilt the list fifty-five times for 11,000 posts, seconds
        in which every key waited behind a rebuild (closing the help after a refresh: up to
        250 ms). Made aside, the lines join the tree in one rebuild.
        """
        if self._fills.get(group) != fill or self._groups.get(group) is not node:
            # Refilled, or the sidebar rebuilt, meanwhile: these lines are not wanted.
            self._release_collector(group, fill)
            return
        made += self._post_lines(node, group, rest[len(made) : len(made) + _SLICE])
        if len(made) < len(rest):
            self.call_after_refresh(self._make_rest_of_list, node, group, rest, made, fill)
            return
        self._add_lines(node, made)
        self._release_collector(group, fill)
        self._post_back(node, group)

    def _hold_collector(self, group: Group) -> None:
        """Hold the collector for the gradual fill of ``group`` just begun: one hold a group,
        let go by its latest fill (an earlier one, stale, stops without)."""
        if group not in self._holds:
            collector.hold()
        self._holds[group] = self._fills[group]

    def _release_collector(self, group: Group, fill: int) -> None:
        """Let go of the hold of ``group``'s fill ``fill``, if it is still held."""
        if self._holds.get(group) == fill:
            del self._holds[group]
            collector.release()

    def on_unmount(self) -> None:
        """Never leave the collector held by a fill that will not finish; give it back the
        lines frozen out of its walks (the app is ending)."""
        for _ in range(len(self._holds)):
            collector.release()
        self._holds.clear()
        collector.thaw()

    def _post_lines(
        self, node: TreeNode[Entry], group: Group, posts: list[PostSummary]
    ) -> list[TreeNode[Entry]]:
        """Lines for ``posts`` under ``node``, not in the tree yet (see :meth:`_add_lines`)."""
        return [
            TreeNode(
                self,
                node,
                self._new_id(),
                post_label(post),
                Entry(group, post),
                expanded=False,
                allow_expand=False,
            )
            for post in posts
        ]

    def _add_lines(self, node: TreeNode[Entry], leaves: list[TreeNode[Entry]]) -> None:
        """Add ``leaves`` after ``node``'s children, with one rebuild of the tree's lines.

        ``add_leaf`` clears the tree's caches and asks for a layout for each line it adds:
        130 ms for a list of 11,000 posts, against 50 ms made here.
        """
        if not leaves:
            return
        self._tree_nodes.update((leaf.id, leaf) for leaf in leaves)
        node._children.extend(leaves)
        node._updates += 1
        self.made_lines += len(leaves)
        self._invalidate()
        if len(leaves) >= _FROZEN_FROM:
            # Ten objects a line, for as long as the list is shown: out of the collector's
            # walks (a line holds no cycle, so a refill still frees it: see collector).
            collector.freeze_survivors()

    def _refill(self, node: TreeNode[Entry], group: Group, posts: list[PostSummary]) -> None:
        """List ``posts`` under ``node`` in place of its lines, with one rebuild of the tree's
        lines; a post listed already, unchanged, keeps its line.

        A refresh that brings a few posts to a list of 11,000 made all 11,000 lines again
        (their labels, 50 ms), and ``remove_children`` looked each old line up in the list it
        left, from the start (0.7 s).
        """
        kept = {
            child.data.post: child
            for child in node._children
            if child.data is not None and child.data.post is not None
        }
        lines: list[TreeNode[Entry]] = []
        made: list[TreeNode[Entry]] = []
        for post in posts:
            line = kept.pop(post, None)
            if line is None:
                line = self._post_lines(node, group, [post])[0]
                made.append(line)
            lines.append(line)
        listed = {line.id for line in lines}
        for gone in node._children:
            if gone.id not in listed:
                gone._remove_children()  # a post has none; a group would
                del self._tree_nodes[gone.id]
        self._tree_nodes.update((line.id, line) for line in made)
        node._children[:] = lines
        node._updates += 1
        self.made_lines += len(made)
        self._invalidate()
        if len(made) >= _FROZEN_FROM:
            collector.freeze_survivors()  # see _add_lines

    def update_post(self, post: PostSummary) -> None:
        """Refresh the line of every copy of ``post`` (read mark, bookmark mark)."""
        for group in self._groups.values():
            for child in group.children:
                if child.data and child.data.post and child.data.post.id == post.id:
                    child.data.post = post
                    child.set_label(post_label(post))

    def open_group(self, group: Group) -> bool:
        """Open ``group`` and put the cursor on it."""
        node = self._groups.get(group)
        if node is None and self._unfilled and isinstance(group, Category | AllOf):
            # A list of a source whose tree never opened (a link, the palette, next unread).
            owner = next(
                (k for k, t in self._unfilled.items() if t.source_id == group.source_id), None
            )
            if owner is not None:
                self._fill_unfilled(owner)
                node = self._groups.get(group)
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            if not parent.is_expanded:
                parent.expand()
            parent = parent.parent
        if node.is_expanded:
            # expand() would not fire NodeExpanded, so ask for the posts here if needed.
            if node.data is not None and not node.data.loaded:
                self.post_message(self.GroupOpened(self, group))
        else:
            node.expand()  # on_tree_node_expanded asks for the posts
        _ = self._tree_lines  # number the lines now (see show_post)
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)
        if not self.size.height:
            # Before the first layout there is nothing to scroll yet ('reader open' a topic).
            self.call_after_refresh(self.scroll_to_node, node, animate=False)
        return True

    def show_post(self, group: Group, post_id: int) -> None:
        """Move the cursor to ``post_id`` in ``group`` if it is listed there."""
        node = self._groups.get(group)
        if node is None:
            return
        # Tree numbers its lines lazily, when it next draws; a node added since has no line
        # yet and move_cursor would ignore it. Asking for the lines numbers them now.
        _ = self._tree_lines
        for child in node.children:
            if child.data and child.data.post and child.data.post.id == post_id:
                self.move_cursor(child)
                self.scroll_to_node(child, animate=False)
                return

    @property
    def loaded_groups(self) -> list[Group]:
        """The groups whose posts are listed (they are re-read after a sync)."""
        return [group for group, node in self._groups.items() if node.data and node.data.loaded]

    @property
    def has_open_group(self) -> bool:
        """True when some group of posts is open."""
        return any(node.is_expanded for node in self._groups.values())

    @property
    def first_group(self) -> Group | None:
        """The first group (the first section), if any."""
        return next(iter(self._groups), None)

    def group_posts(self, group: Group) -> list[PostSummary]:
        """The posts currently listed in ``group``."""
        node = self._groups.get(group)
        if node is None:
            return []
        return [c.data.post for c in node.children if c.data and c.data.post]

    @property
    def current_group(self) -> Group | None:
        """The group the cursor is in (None on a heading)."""
        node = self.cursor_node
        return node.data.group if node is not None and node.data is not None else None

    @property
    def current_post(self) -> PostSummary | None:
        """The highlighted post, or None when the cursor is on a group."""
        node = self.cursor_node
        return node.data.post if node is not None and node.data is not None else None

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        """Load a group's posts, or a source's sections, the first time it opens."""
        if self._unfilled:
            key = next((k for k, node in self._headings.items() if node is event.node), None)
            if key is not None:
                self._fill_unfilled(key)
        data = event.node.data
        if data is not None and data.group is not None and data.post is None and not data.loaded:
            self.post_message(self.GroupOpened(self, data.group))

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        """Enter on a post opens it."""
        data = event.node.data
        if data is not None and data.post is not None and data.group is not None:
            event.stop()
            self.post_message(self.PostChosen(self, data.post, data.group))
        elif data is not None and data.group is not None:
            event.node.toggle()
