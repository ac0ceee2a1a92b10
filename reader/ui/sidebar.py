"""The sidebar: sections, then topics, then bookmarks, each opening to its posts.

Built on Textual's ``Tree``, which repaints only the lines whose highlight changed when the
cursor moves: that is what keeps a cursor move cheap over SSH. Posts are loaded when a group is
opened, titles only.

A group's posts are not nodes of the tree: a group holds its list (a :class:`Listing`) and the
tree's lines stand for its posts by number (:class:`_Lines`); a post's node, label and line are
made only when something looks at that line (drawing it, the cursor) and are let go again once
the view has moved well past it. A list of 55,000 posts cost a node, an entry, a label and a
line record for each (75 MB of the reader's peak at 100,000 posts, and seconds of lines made
after the first screen); now it costs its summaries, and the few hundred lines near the view.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Self, overload

from rich.style import Style
from rich.text import Text
from textual.actions import SkipAction
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
from reader.ui import keys
from reader.ui.line_style import StyledOncePerPaint

UNREAD_MARK = "● "
"""Before the title of an unread post."""
BOOKMARK_MARK = "★ "
"""Before the title of a bookmarked post, after the unread mark's place."""
_KEPT_LINES = 600
"""Post lines a list keeps made (nodes and labels), the latest looked at: a few screens at
any height, so drawing and moving near the view never makes a line twice."""
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


class Listing:
    """A group's posts, and the lines made of them lately (by their place in the list)."""

    __slots__ = ("group", "made", "owner", "path", "posts", "start")

    def __init__(self, owner: TreeNode[Entry], group: Group, posts: list[PostSummary]) -> None:
        self.owner = owner
        """The group's node: the parent of its posts' lines."""
        self.group = group
        self.posts = posts
        self.made: OrderedDict[int, PostNode] = OrderedDict()
        """Lines made of it, least lately looked at first (at most :data:`_KEPT_LINES`)."""
        self.start = -1
        """The tree's line of its first post; -1 while its group is closed."""
        self.path: list[TreeNode[Entry]] = []
        """The nodes above its posts' lines (the group's line path)."""

    def index_of(self, post_id: int) -> int | None:
        """Where the post ``post_id`` is in the list, or None."""
        return next((i for i, post in enumerate(self.posts) if post.id == post_id), None)


@dataclass(frozen=True)
class GroupTitle:
    """What a group's line says: its name and counts, its label made of them."""

    name: str
    count: int
    unread: int = 0

    @property
    def label(self) -> Text:
        """The line as :func:`group_label` makes it ("News 3/25")."""
        return group_label(self.name, self.count, self.unread)


def _title_of(section: Section) -> GroupTitle:
    return GroupTitle(section.name, section.count, section.unread)


@dataclass
class Entry:
    """What a sidebar line stands for: a group of posts, one post, or a heading (no group)."""

    group: Group | None
    post: PostSummary | None = None
    loaded: bool = False
    listing: Listing | None = None
    """A group's posts, once it was filled."""
    title: GroupTitle | None = None
    """A group's name and counts as its line shows them, kept with it when the line is made
    (never read back out of the label)."""


class PostNode(TreeNode[Entry]):
    """A post's line, made when it is looked at; its siblings are its list's neighbours
    (they are no children of the group: see :class:`Listing`)."""

    def __init__(self, sidebar: Sidebar, listing: Listing, index: int) -> None:
        post = listing.posts[index]
        super().__init__(
            sidebar,
            listing.owner,
            sidebar._new_id(),
            post_label(post),
            Entry(listing.group, post),
            expanded=False,
            allow_expand=False,
        )
        self._listing = listing
        self._index = index

    def _neighbour(self, step: int) -> TreeNode[Entry] | None:
        index = self._index + step
        tree = self._tree
        if not isinstance(tree, Sidebar) or not 0 <= index < len(self._listing.posts):
            return None
        return tree._post_node(self._listing, index)

    @property
    def next_sibling(self) -> TreeNode[Entry] | None:
        """The post below, in its list."""
        return self._neighbour(+1)

    @property
    def previous_sibling(self) -> TreeNode[Entry] | None:
        """The post above, in its list."""
        return self._neighbour(-1)

    @property
    def is_last(self) -> bool:
        """The last post of its list."""
        return self._index == len(self._listing.posts) - 1


class _Lines(Sequence[_TreeLine[Entry]]):
    """The tree's lines: the fixed ones (headings, groups) as made, a list's posts as a run
    of numbers whose lines are made when asked for (see :meth:`Sidebar._post_line`)."""

    def __init__(
        self,
        sidebar: Sidebar,
        parts: list[_TreeLine[Entry] | Listing],
        starts: list[int],
        total: int,
    ) -> None:
        self._sidebar = sidebar
        self._parts = parts
        self._starts = starts
        self._total = total

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, index: int) -> _TreeLine[Entry]: ...

    @overload
    def __getitem__(self, index: slice) -> list[_TreeLine[Entry]]: ...

    def __getitem__(self, index: int | slice) -> _TreeLine[Entry] | list[_TreeLine[Entry]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._total))]
        if index < 0:
            index += self._total
        if not 0 <= index < self._total:
            raise IndexError(index)
        at = bisect_right(self._starts, index) - 1
        part = self._parts[at]
        if isinstance(part, Listing):
            return self._sidebar._post_line(part, index - self._starts[at])
        return part


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
    aside: str = ""
    """What tells it from another source of the same name (its own name, or host), or ""."""


def _shape_of(tree: SourceTree) -> tuple[object, ...]:
    """What decides a source tree's lines (a change rebuilds the sidebar; counts do not)."""
    found = None if tree.sections is None else tuple((s.slug, s.kind) for s in tree.sections)
    return (tree.key, tree.source_id, tree.problem, found)


def group_label(name: str, count: int, unread: int, aside: str = "") -> Text:
    """ "News  3/25": unread over total; plain count when all are read. ``aside`` goes
    between them ("USC Stem Cell · 127.0.0.1:8081 3/25"); a label too wide for the sidebar
    is cut in its name, never in what follows it (see :meth:`Sidebar._fitted`)."""
    label = Text(name, style="bold")
    tail = f" {unread}/{count}" if unread else f" {count}"
    label.append(f" · {aside}{tail}" if aside else tail, style="dim")
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
    | enter | open the post, or open/close the group or source |
    | space | open/close the group or source (on a post, the screen pages the article) |
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
        self._groups: dict[Group, TreeNode[Entry]] = {}
        super().__init__("Posts", data=Entry(None), id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self._headings: dict[str, TreeNode[Entry]] = {}
        """With several sources: each source's heading, by its key."""
        self._unfilled: dict[str, SourceTree] = {}
        """Sources whose trees have no sections yet (never opened), by key."""
        self.sections_of: Callable[[int], Sequence[Section]] = lambda source_id: ()
        """Reads a source's sections and topics when its tree first opens (set by the screen)."""
        self.post_chosen: Callable[[PostSummary, Group], None] = lambda post, group: None
        """Opens a post enter (or a click) chose, and the list it was chosen in (set by the
        screen). Called at once, in the key's own turn, not sent as a message: a message
        reached the screen after the keys typed behind enter (enter and n in one read over
        SSH), which were then taken for the article shown before."""
        self._shape: tuple[tuple[object, ...], ...] = ()
        """What the source trees were built from, to rebuild only when it changes."""
        self._wanted_post: tuple[Group, int, int] | None = None
        """The list and post the cursor was on before a rebuild (and the reader's move count
        then), until that list is filled again."""
        self.made_lines = 0
        """Post lines made so far (each a label and a node): what moving through lists costs."""
        self._tags: dict[Group, GroupTitle] = {}
        """Tags the reader opened, with their names and counts: kept across rebuilds."""
        self._tag_heading: TreeNode[Entry] | None = None
        """The "Tags" heading of tags no source tree holds (one source read)."""
        self._source_keys: dict[int, str] = {}
        """With several sources: each source's key, by its id in the store."""
        self._source_tags: dict[int, TreeNode[Entry]] = {}
        """With several sources: the "Tags" heading inside each source's tree, by its id."""
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

    def action_toggle_node(self) -> None:
        """Space opens or closes a group or a source; on a post's line it is not the list's
        (the screen pages the article beside the list with it, as slrn and mutt do)."""
        node = self.cursor_node
        if node is not None and node.data is not None and node.data.post is not None:
            raise SkipAction()
        super().action_toggle_node()

    def on_click(self) -> None:
        """A click moves the cursor too."""
        self.moves += 1

    def on_resize(self) -> None:
        """Keep the cursor's line in view when the list grows or shrinks (a terminal resized,
        the list shown again below 100 columns): kept where it was, it could be off screen."""
        if self.cursor_line >= 0:
            self.scroll_to_line(self.cursor_line, animate=False)

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
        """Tree's own numbering of its lines, keeping what the last one made of each, with a
        list's posts numbered as one run (their lines are made when looked at).

        Every change to a Tree makes all its lines again: a line object and a path for each,
        and each label measured. A line whose place is unchanged (the same line above it in
        the tree, and still the last of its group or not) keeps its object and its width;
        kept by node id, anew each time, so a line that left the tree leaves the cache too.
        A post's label is cut to the sidebar's width when drawn, so the posts count for
        nothing in the tree's width.
        """
        kept = self._made
        made: dict[int, tuple[_TreeLine[Entry], list[TreeNode[Entry]], Text, int]] = {}
        parts: list[_TreeLine[Entry] | Listing] = []
        starts: list[int] = []
        placed: list[Listing] = []
        count = 0
        guide_depth = self.guide_depth
        show_root = self.show_root
        widest = 0

        def add_node(path: list[TreeNode[Entry]], node: TreeNode[Entry], last: bool) -> None:
            nonlocal widest, count
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
            node._line = count
            parts.append(line)
            starts.append(count)
            count += 1
            if not node._expanded:
                return
            listing = node.data.listing if node.data is not None else None
            if listing is not None and listing.posts:
                listing.start = count
                listing.path = line.path
                placed.append(listing)
                parts.append(listing)
                starts.append(count)
                count += len(listing.posts)
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
        for group_node in self._groups.values():
            listing = group_node.data.listing if group_node.data is not None else None
            if listing is not None:
                if not any(listing is shown for shown in placed):
                    listing.start = -1
                for index, post_node in listing.made.items():
                    post_node._line = listing.start + index if listing.start >= 0 else -1
        self._made = made
        # Tree's code reads its lines as a list: indexing, slicing and len are all it does.
        self._tree_lines_cached = _Lines(self, parts, starts, count)  # type: ignore[assignment]
        self.virtual_size = Size(widest if count else self.size.width, count)
        if self.cursor_line != -1:
            if self.cursor_node is not None:
                self.cursor_line = self.cursor_node._line
            if self.cursor_line >= count:
                self.cursor_line = -1

    def _post_node(self, listing: Listing, index: int) -> PostNode:
        """The line of ``listing``'s post ``index``: kept if made lately, else made now.

        The least lately looked at goes when a list holds more than :data:`_KEPT_LINES`,
        never the cursor's (Tree keeps its cursor's node, and marks it as selected).
        """
        made = listing.made
        node = made.get(index)
        if node is not None:
            made.move_to_end(index)
            return node
        node = PostNode(self, listing, index)
        node._line = listing.start + index if listing.start >= 0 else -1
        made[index] = node
        self.made_lines += 1
        while len(made) > _KEPT_LINES:
            oldest, line = made.popitem(last=False)
            if line is self._cursor_node or line._hover_:
                made[oldest] = line  # kept: to the far end, looked at again
        return node

    def _post_line(self, listing: Listing, index: int) -> _TreeLine[Entry]:
        """The tree's line for ``listing``'s post ``index`` (see :class:`_Lines`)."""
        return _TreeLine(
            [*listing.path, self._post_node(listing, index)], index == len(listing.posts) - 1
        )

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

    def _fitted(self, node: TreeNode[Entry], label: Text, keep: int = 0) -> Text:
        """The label cut to the width left after its guides, ending in "…" when cut; its
        last ``keep`` characters (a group's counts) stay whole when there is room for them."""
        lines = self._tree_lines_cached
        if lines is None or not 0 <= node._line < len(lines):
            return label
        # The scrollbar's column, when there is one, hides the label's last cells.
        room = self.scrollable_content_region.width - lines[node._line]._get_guide_width(
            self.guide_depth, self.show_root
        )
        if room <= 0 or label.cell_len <= room:
            return label
        cut = len(label) - keep
        tail = label[cut:]
        if not keep or tail.cell_len + 2 > room:
            label.truncate(room, overflow="ellipsis")
            return label
        head = label[:cut]
        head.truncate(room - tail.cell_len, overflow="ellipsis")
        return head + tail

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
        """A post's line with its marks in the theme's colours; the cursor's colours win."""
        post = node.data.post if node.data is not None else None
        if post is None:
            # A group's counts (and what tells a source from another of its name) follow its
            # name in one dim span: cut the name, never them.
            named = node.label
            spans = named.spans if isinstance(named, Text) else []
            keep = len(named) - spans[0].start if spans and spans[0].start > 0 else 0
            return self._fitted(node, super().render_label(node, base_style, style), keep)
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

    def _add_group(self, parent: TreeNode[Entry], group: Group, title: GroupTitle) -> None:
        """List ``group`` under ``parent``, its name and counts kept with its node."""
        self._groups[group] = parent.add(title.label, data=Entry(group, title=title))

    def _retitle(self, group: Group, title: GroupTitle) -> None:
        """Say ``group``'s new counts (or name) on its line; nothing when it is not listed."""
        node = self._groups.get(group)
        if node is None:
            return
        if node.data is not None:
            node.data.title = title
        _relabel(node, title.label)

    def set_groups(
        self, sections: list[Section], bookmarks: int, *, all_posts: tuple[int, int] | None = None
    ) -> None:
        """Show these groups, keeping opened ones open and their posts in place."""
        wanted: list[tuple[Group, GroupTitle]] = []
        if all_posts is not None:
            wanted.append((Shelf.ALL_POSTS, GroupTitle("All posts", *all_posts)))
        for section in sections:
            if section.kind is SectionKind.SECTION:
                wanted.append((section.slug, _title_of(section)))
        topics = [s for s in sections if s.kind is SectionKind.TOPIC]
        if not self._groups:
            self._rebuild_groups(wanted, topics, bookmarks)
            return
        for group, title in wanted:
            self._retitle(group, title)
        for topic in topics:
            self._retitle(topic.slug, _title_of(topic))
        self._retitle(Shelf.BOOKMARKS, GroupTitle("Bookmarks", bookmarks))
        known = set(self._groups)
        if any(g not in known for g, _ in wanted) or any(t.slug not in known for t in topics):
            self._rebuild_groups(wanted, topics, bookmarks)

    def _rebuild_groups(
        self,
        wanted: list[tuple[Group, GroupTitle]],
        topics: list[Section],
        bookmarks: int,
    ) -> None:
        opened = {group for group, node in self._groups.items() if node.is_expanded}
        kept = self._cursor_place()
        self.clear()
        self._groups = {}
        self._tag_heading = None
        self._source_keys = {}
        self._source_tags = {}
        for group, title in wanted:
            self._add_group(self.root, group, title)
        if topics:
            # A heading, not a list: it holds the topics and always opens with them.
            header = self.root.add(Text("Topics", style="bold"), data=Entry(None))
            for topic in topics:
                self._add_group(header, topic.slug, _title_of(topic))
            header.expand()
        self._add_tag_heading()
        self._add_group(self.root, Shelf.BOOKMARKS, GroupTitle("Bookmarks", bookmarks))
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
                _relabel(heading, group_label(tree.name, tree.count, tree.unread, tree.aside))
            if tree.key in self._unfilled:
                self._unfilled[tree.key] = tree
                if heading is not None:
                    # A source whose first posts came in this sync can open now.
                    heading.allow_expand = bool(tree.count or tree.problem)
            for section in tree.sections or ():
                self._retitle(Category(section.slug, tree.source_id), _title_of(section))
            self._retitle(AllOf(tree.source_id), GroupTitle("All posts", tree.count, tree.unread))
        self._retitle(Shelf.UNREAD, GroupTitle("Unread", unread[1]))
        self._retitle(Shelf.BOOKMARKS, GroupTitle("Bookmarks", bookmarks))

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
        self._source_tags = {}
        self._source_keys = {tree.source_id: tree.key for tree in trees if tree.source_id}
        for index, tree in enumerate(trees):
            heading = self.root.add(
                group_label(tree.name, tree.count, tree.unread, tree.aside), data=Entry(None)
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
        self._add_group(self.root, Shelf.UNREAD, GroupTitle("Unread", unread[1]))
        self._add_group(self.root, Shelf.BOOKMARKS, GroupTitle("Bookmarks", bookmarks))
        for was_open in opened:
            if was_open in self._groups:
                self._groups[was_open].expand()
        self._put_cursor_back(kept)

    def _fill(self, heading: TreeNode[Entry], tree: SourceTree, found: Sequence[Section]) -> None:
        """Add a source's sections (or its "All posts") and topics under its heading."""
        sections = [s for s in found if s.kind is SectionKind.SECTION]
        topics = [s for s in found if s.kind is SectionKind.TOPIC]
        if not sections and tree.count:
            title = GroupTitle("All posts", tree.count, tree.unread)
            self._add_group(heading, AllOf(tree.source_id), title)
        for section in sections:
            self._add_group(heading, Category(section.slug, tree.source_id), _title_of(section))
        if topics:
            header = heading.add(Text("Topics", style="bold"), data=Entry(None))
            for topic in topics:
                self._add_group(header, Category(topic.slug, tree.source_id), _title_of(topic))
            header.expand()
        if tree.source_id:
            self._add_source_tags(tree.source_id)

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
        """List a tag the reader opened, under a "Tags" heading: with several sources, the
        one in its source's tree (after its topics); else one before the shelves.

        A site has hundreds of tags, too many to list; one opened from a link or a post's
        topics stays listed so it can be opened again. One "Tags" for every source listed
        three sites' tags side by side, with nothing to say whose each was.
        """
        title = GroupTitle(name, count, unread)
        self._tags[group] = title
        if group in self._groups:
            self._retitle(group, title)
            return
        heading = self._tags_heading_of(group)
        if heading is not None:
            self._add_group(heading, group, title)

    def _tags_heading_of(self, group: Group) -> TreeNode[Entry] | None:
        """The "Tags" heading a tag goes under, made if need be; None while its source's tree
        was never opened (filling it lists the tag)."""
        key = self._source_keys.get(group.source_id) if isinstance(group, Category) else None
        if key is not None and isinstance(group, Category):
            if key in self._unfilled:
                return None
            heading = self._source_tags.get(group.source_id)
            if heading is None:
                heading = self._headings[key].add(
                    Text("Tags", style="bold"), data=Entry(None), expand=True
                )
                self._source_tags[group.source_id] = heading
            return heading
        if self._tag_heading is None:
            shelf = self._groups.get(Shelf.UNREAD) or self._groups.get(Shelf.BOOKMARKS)
            self._tag_heading = self.root.add(
                Text("Tags", style="bold"), data=Entry(None), before=shelf, expand=True
            )
        return self._tag_heading

    @property
    def opened_tags(self) -> list[Group]:
        """The tags listed under "Tags", in the order they were opened."""
        return list(self._tags)

    def _add_tag_heading(self) -> None:
        """The opened tags no source tree holds again, after a rebuild cleared the tree."""
        tags = [
            (group, title)
            for group, title in self._tags.items()
            if not (isinstance(group, Category) and group.source_id in self._source_keys)
        ]
        if not tags:
            return
        self._tag_heading = self.root.add(Text("Tags", style="bold"), data=Entry(None))
        for group, title in tags:
            self._add_group(self._tag_heading, group, title)
        self._tag_heading.expand()

    def _add_source_tags(self, source_id: int) -> None:
        """A source's opened tags, in its tree as it is filled."""
        for group, title in self._tags.items():
            if isinstance(group, Category) and group.source_id == source_id:
                heading = self._tags_heading_of(group)
                if heading is not None:
                    self._add_group(heading, group, title)

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
        listing = node.data.listing if node.data is not None else None
        index = listing.index_of(post_id) if listing is not None else None
        if listing is not None and index is not None:
            self._wanted_post = None
            _ = self._tree_lines
            self.move_cursor(self._post_node(listing, index))

    def set_posts(self, group: Group, posts: list[PostSummary]) -> None:
        """Fill ``group`` with its posts, keeping the cursor on the same post.

        The list is kept as it is given (summaries only): no line is made for a post until
        it is looked at, so a list of any length costs one numbering of the tree's lines.
        """
        node = self._groups.get(group)
        if node is None or node.data is None:
            return
        old = node.data.listing
        if node.data.loaded and old is not None and old.posts == posts:
            return  # nothing changed: keep its lines as they are
        cursor = self.cursor_node
        on_this_list = old is not None and isinstance(cursor, PostNode) and cursor._listing is old
        old_index = cursor._index if isinstance(cursor, PostNode) else 0
        cursor_id = cursor.data.post.id if cursor and cursor.data and cursor.data.post else None
        line_before = cursor._line if cursor is not None else -1
        node.data.loaded = True
        listing = Listing(node, group, list(posts))
        node.data.listing = listing
        if old is not None:
            # Lines made of the old list keep their labels until let go: a refill that keeps a
            # post unchanged keeps its line (no new label; the cursor's node stays the same).
            by_post = {line.data.post: line for line in old.made.values() if line.data}
            for index, post in enumerate(listing.posts):
                if not by_post:
                    break
                kept = by_post.pop(post, None)
                if kept is not None:
                    kept._listing = listing
                    kept._index = index
                    listing.made[index] = kept
        self._invalidate()
        _ = self._tree_lines  # number the new lines now, so the cursor can be put on them
        self._post_back(node, group)
        if old is None and cursor is node:
            # Opened and its posts come in: they were not there to scroll to when it opened.
            self._show_group(node)
            return
        if not on_this_list and cursor is not None and self.cursor_node is cursor:
            # The cursor rests below this list (on a later heading, or another list): the lines
            # above it grew or shrank, so the view moves with it, keeping its place on screen
            # (the whole first list arriving after the first screenful, say).
            moved = cursor._line - line_before
            if line_before >= 0 and moved:
                self.scroll_to(y=self.scroll_offset.y + moved, animate=False, immediate=True)
            return
        if not on_this_list or cursor_id is None or not listing.posts:
            return
        found = listing.index_of(cursor_id)
        # A post that left the list: its neighbour, never the heading.
        at = found if found is not None else min(old_index, len(listing.posts) - 1)
        self.move_cursor(self._post_node(listing, at))

    def update_post(self, post: PostSummary) -> None:
        """Refresh the line of every copy of ``post`` (read mark, bookmark mark)."""
        for group in self._groups.values():
            listing = group.data.listing if group.data is not None else None
            if listing is None:
                continue
            index = listing.index_of(post.id)
            if index is None:
                continue
            listing.posts[index] = post
            line = listing.made.get(index)
            if line is not None and line.data is not None:
                line.data.post = post
                line.set_label(post_label(post))
            else:
                # A line let go may still be drawn from Tree's cache of drawn lines, by its
                # number: those drawn before now are drawn again.
                self._updates += 1
                self._line_cache.clear()
                if listing.start >= 0:
                    self._refresh_line(listing.start + index)

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
        self._show_group(node)
        if not self.size.height:
            # Before the first layout there is nothing to scroll yet ('reader open' a topic).
            self.call_after_refresh(self._show_group, node)
        return True

    def _show_group(self, node: TreeNode[Entry]) -> None:
        """Scroll so an opened group's heading and its posts are in view: when they do not
        all fit below where the heading is, the heading goes near the top.

        Kept in view one line at a time, a group opened from the palette or a link had its
        heading on the last line and one of its posts showing.
        """
        line = node.line
        height = self.scrollable_content_region.height
        if line < 0 or height <= 0:
            self.scroll_to_node(node, animate=False)
            return
        listing = node.data.listing if node.data is not None else None
        # Posts not read yet: room for a screenful of them.
        below = min(len(listing.posts) if listing is not None else height, height - 2)
        top = int(self.scroll_y)
        if top <= line and line + below < top + height:
            return
        # One line above it kept, for context; forced, as in scroll_to_line.
        self.scroll_to(y=max(0, line - 1), animate=False, immediate=True, force=True)

    def show_post(self, group: Group, post_id: int) -> None:
        """Move the cursor to ``post_id`` in ``group`` if it is listed there."""
        node = self._groups.get(group)
        listing = node.data.listing if node is not None and node.data is not None else None
        index = listing.index_of(post_id) if listing is not None else None
        if listing is None or index is None:
            return
        # Tree numbers its lines lazily, when it next draws; a list filled since has no line
        # yet and move_cursor would ignore it. Asking for the lines numbers them now.
        _ = self._tree_lines
        line = self._post_node(listing, index)
        self.move_cursor(line)
        self.scroll_to_node(line, animate=False)

    def moves_past(self, group: Group, action: str) -> bool:
        """Whether the cursor move ``action`` (the name of a Tree action) would take the
        cursor from above ``group``'s last listed post to below it.

        While a list holds only its first screenful, such a move lands on whatever follows
        it (the next group), where the whole list would have kept the cursor in it.
        """
        node = self._groups.get(group)
        listing = node.data.listing if node is not None and node.data is not None else None
        if listing is None or not listing.posts:
            return False
        _ = self._tree_lines  # number the lines, so the list's start is known
        if listing.start < 0:
            return False  # its group is closed
        last = listing.start + len(listing.posts) - 1
        line = self.cursor_line
        page = self.scrollable_content_region.height - 1
        targets = {
            "scroll_end": self.last_line,
            "page_down": line + page,
            "cursor_down": line + 1,
            # Next sibling goes nowhere from a list's last post.
            "cursor_next_sibling": line + 1 if line == last else line,
        }
        target = targets.get(action)
        return target is not None and line <= last < target

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

    def listed(self, group: Group) -> Sequence[PostSummary] | None:
        """The posts listed in ``group`` as they are shown (not a copy), or None when it was
        never filled."""
        node = self._groups.get(group)
        listing = node.data.listing if node is not None and node.data is not None else None
        return listing.posts if listing is not None else None

    def group_posts(self, group: Group) -> list[PostSummary]:
        """The posts currently listed in ``group``."""
        node = self._groups.get(group)
        listing = node.data.listing if node is not None and node.data is not None else None
        return list(listing.posts) if listing is not None else []

    def _title(self, group: Group) -> GroupTitle | None:
        node = self._groups.get(group)
        return node.data.title if node is not None and node.data is not None else None

    def group_name(self, group: Group) -> str | None:
        """The list's name as its heading shows it, without the counts ("News")."""
        title = self._title(group)
        return title.name if title is not None else None

    def group_count(self, group: Group) -> int | None:
        """The posts the list's heading counts ("News 3/25": 25), or None when not listed."""
        title = self._title(group)
        return title.count if title is not None else None

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

    def action_select_cursor(self) -> None:
        """Enter: a post opens now (see :attr:`post_chosen`); any other line as Tree has it
        (its NodeSelected message, below)."""
        node = self.cursor_node
        if node is None or not self._choose(node):
            super().action_select_cursor()

    def _choose(self, node: TreeNode[Entry]) -> bool:
        """Open ``node``'s post, when it is a post's line."""
        data = node.data
        if data is None or data.post is None or data.group is None:
            return False
        self.post_chosen(data.post, data.group)
        return True

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        """A post selected some other way than enter opens too; anything else that opens (a
        list, a source, the Topics or Tags heading) opens or closes, as space does."""
        if self._choose(event.node):
            event.stop()
        elif event.node.allow_expand:
            event.node.toggle()
