"""The sidebar on its own: long lists fill a screenful at a time, and never twice."""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets._tree import _TreeLine

from reader.core.models import PostSummary, Section, SectionKind
from reader.core.navigation import Shelf
from reader.ui import sidebar as sidebar_module
from reader.ui.sidebar import PostNode, Sidebar
from reader.ui.themes import reader_variable_defaults


class _Host(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        # The sidebar draws its marks in the reader's own colours, which ReaderApp defines.
        return reader_variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        yield Sidebar()


def _posts(count: int, start: int = 0) -> list[PostSummary]:
    when = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        PostSummary(n, f"Post {n} [b]not markup[/b]", f"https://e.org/{n}/", when)
        for n in range(start, start + count)
    ]


def _known_exactly(sidebar: Sidebar) -> bool:
    """The tree knows each of its lines by id, and no line it does not hold."""
    held: set[int] = set()
    waiting = [sidebar.root]
    while waiting:
        node = waiting.pop()
        held.add(node.id)
        waiting.extend(node.children)
    return set(sidebar._tree_nodes) == held


def _made(sidebar: Sidebar) -> int:
    """Post lines the sidebar holds made (nodes and labels), over all its lists."""
    return sum(
        len(node.data.listing.made)
        for node in sidebar._groups.values()
        if node.data is not None and node.data.listing is not None
    )


def _cursor_text(sidebar: Sidebar) -> str:
    """The cursor's line as drawn."""
    return sidebar.render_line(sidebar.cursor_line - int(sidebar.scroll_y)).text.rstrip()


async def test_a_long_list_makes_lines_only_near_the_view() -> None:
    # A node, an entry, a label and a line record for each of 55,000 posts: 90 MB, and a
    # second and a half before the list could be moved through (bench/README.md, scale).
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 50_000, 50_000)], 0)
        sidebar.open_group("news")
        sidebar.set_posts("news", _posts(50_000))
        sidebar.focus()
        await pilot.pause()
        assert len(sidebar.group_posts("news")) == 50_000
        assert len(sidebar._tree_lines) == 50_002  # the group's line, each post's, Bookmarks
        assert _made(sidebar) < 100  # about a screenful
        await pilot.press("end")
        await pilot.press("k")  # from Bookmarks, the last line, to the list's last post
        assert _cursor_text(sidebar).endswith("Post 49999 [b]not markup[/b]")  # text, no markup
        assert sidebar.current_post is not None and sidebar.current_post.id == 49_999
        for _ in range(30):
            await pilot.press("pageup")
        assert _made(sidebar) <= sidebar_module._KEPT_LINES


async def test_moving_past_the_kept_lines_and_back_shows_the_same_posts() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 5000, 5000)], 0)
        sidebar.open_group("news")
        sidebar.set_posts("news", _posts(5000))
        sidebar.focus()
        await pilot.press("j", "j")
        first = sidebar.cursor_node
        assert _cursor_text(sidebar).endswith("Post 1 [b]not markup[/b]")
        # Far past the lines kept (and the cursor's line let go), then back by keys.
        await pilot.press("end", "k")
        assert _cursor_text(sidebar).endswith("Post 4999 [b]not markup[/b]")
        await pilot.press("k", "k")
        assert _cursor_text(sidebar).endswith("Post 4997 [b]not markup[/b]")
        await pilot.press("shift+down")  # the next post of the list, as Tree's sibling key
        assert _cursor_text(sidebar).endswith("Post 4998 [b]not markup[/b]")
        await pilot.press("shift+up", "shift+up")
        assert _cursor_text(sidebar).endswith("Post 4996 [b]not markup[/b]")
        await pilot.press("home")
        for _ in range(40):  # past more lines than a list keeps made
            await pilot.press("pagedown")
        await pilot.press("home", "j", "j")
        assert sidebar.cursor_node is not first  # let go, and made again
        assert sidebar.current_post is not None and sidebar.current_post.id == 1
        assert _cursor_text(sidebar).endswith("Post 1 [b]not markup[/b]")
        await pilot.press("shift+left")  # to the list's own line
        assert sidebar.cursor_line == 0 and sidebar.current_post is None


async def test_a_post_deep_in_a_long_list_is_shown_and_marked_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A search hit or a link opens a post thousands of lines down: the cursor lands on it.
    monkeypatch.setattr(sidebar_module, "_KEPT_LINES", 40)  # the first screen's let go
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 20_000, 20_000)], 0)
        sidebar.open_group("news")
        sidebar.set_posts("news", _posts(20_000))
        sidebar.show_post("news", 5)
        await pilot.pause()
        sidebar.show_post("news", 12_345)
        await pilot.pause()
        assert sidebar.cursor_line == 12_346
        assert sidebar.scroll_y <= 12_346 < sidebar.scroll_y + sidebar.size.height
        assert _cursor_text(sidebar).endswith("● Post 12345 [b]not markup[/b]")
        # A read mark on a line in view, and on one whose line is not made.
        read = replace(_posts(1, start=12_345)[0], read=True)
        sidebar.update_post(read)
        far = replace(_posts(1, start=3)[0], read=True, bookmarked=True)
        sidebar.update_post(far)
        await pilot.pause()
        assert "●" not in _cursor_text(sidebar)
        sidebar.show_post("news", 5)
        await pilot.pause()
        # Post 3's line, drawn before its mark changed (and its line let go since), anew.
        line = 4 - int(sidebar.scroll_y)
        assert sidebar.render_line(line).text.rstrip().endswith("  ★ Post 3 [b]not markup[/b]")
        assert sidebar.group_posts("news")[3] == far


async def test_a_refill_keeps_the_cursor_on_its_post_and_the_lines_of_unchanged_posts() -> None:
    # A refresh bringing a few posts to a long list: the cursor stays on what it was on.
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 3000, 3000)], 0)
        sidebar.open_group("news")
        posts = _posts(3000)
        sidebar.set_posts("news", posts)
        sidebar.show_post("news", 7)
        await pilot.pause()
        cursor = sidebar.cursor_node
        made = sidebar.made_lines
        read = replace(posts[10], read=True)
        newer = _posts(5, start=5000) + posts[:10] + [read] + posts[11:2990]  # 10 gone
        sidebar.set_posts("news", newer)
        assert sidebar.cursor_node is cursor  # the same line, kept
        assert sidebar.current_post == posts[7] and sidebar.cursor_line == 13
        assert sidebar.made_lines - made == 6  # five new posts in view, one marked read
        await pilot.pause()
        assert [p.id for p in sidebar.group_posts("news")] == [p.id for p in newer]
        assert _cursor_text(sidebar).endswith("Post 7 [b]not markup[/b]")
        # The post it was on leaves the list: its neighbour, never the list's own line.
        sidebar.set_posts("news", [p for p in newer if p.id != 7])
        assert sidebar.current_post == posts[8]


async def test_a_refill_lets_the_old_lines_go() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 300, 300)], 0)
        sidebar.open_group("news")
        sidebar.set_posts("news", _posts(300))
        await pilot.pause()
        line = weakref.ref(sidebar._tree_lines[5].node)
        sidebar.set_posts("news", _posts(300, start=1000))
        await pilot.pause()
        gc.collect()
        assert line() is None
        assert [p.id for p in sidebar.group_posts("news")] == list(range(1000, 1300))
        assert _known_exactly(sidebar)


async def test_cursor_leaving_the_screen_turns_a_page() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([Section("news", "News", SectionKind.SECTION, 100, 100)], 0)
        sidebar.set_posts("news", _posts(100))
        sidebar.open_group("news")
        sidebar.focus()
        await pilot.pause()
        height = sidebar.scrollable_content_region.height
        for _ in range(height):
            await pilot.press("j")
        await pilot.pause()
        # The line that stepped off the bottom is now near the top, not at the bottom.
        assert sidebar.scroll_y == sidebar.cursor_line - 1


def _numbering(sidebar: Sidebar) -> list[tuple[tuple[int, ...], bool, int]]:
    """Each line's path (by node id), whether it is last in its group, and its number."""
    return [
        (tuple(node.id for node in line.path), line.last, line.node.line)
        for line in sidebar._tree_lines
    ]


async def test_the_lines_are_numbered_as_the_tree_shows_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every change to a Tree makes all its lines again: at the end of a refresh 11,000 line
    # objects and as many titles measured, 40-60 ms of the loop. A list's lines are a run.
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sections = [
            Section("news", "News", SectionKind.SECTION, 2000, 2000),
            Section("events", "Events", SectionKind.SECTION, 1000, 1000),
            Section("videos", "Videos", SectionKind.SECTION, 10, 10),
        ]
        sidebar.set_groups(sections, 0)
        sidebar.open_group("news")
        sidebar.open_group("events")
        sidebar.set_posts("news", _posts(2000))
        sidebar.set_posts("events", _posts(1000, start=5000))
        await pilot.pause()
        made: list[object] = []

        def counted(path: Any, last: bool) -> Any:
            if not isinstance(path[-1], PostNode):
                made.append(path)
            return _TreeLine(path, last)

        monkeypatch.setattr(sidebar_module, "_TreeLine", counted)
        sidebar.set_posts("news", _posts(2001, start=9000))
        assert not made  # the groups' lines are kept
        ours = _numbering(sidebar)
        groups = [sidebar._groups[slug] for slug in ("news", "events", "videos")]
        assert len(ours) == 3 + 2001 + 1000 + 1  # then Bookmarks
        assert ours[0] == ((groups[0].id,), True, 0)  # as Tree has it: each top line "last"
        assert ours[2002] == ((groups[1].id,), True, 2002)
        posts = [(path, last, number) for path, last, number in ours if len(path) == 2]
        assert [number for *_, number in posts] == [*range(1, 2002), *range(2003, 3003)]
        assert [last for _, last, _ in posts].count(True) == 2
        assert posts[2000][1] and posts[-1][1]
        assert {path[0] for path, *_ in posts} == {groups[0].id, groups[1].id}
        assert sidebar._tree_lines[-1].node is sidebar._groups[Shelf.BOOKMARKS]
        lines = sidebar._tree_lines
        assert lines[2000:2004] == [lines[n] for n in range(2000, 2004)]
        assert lines[-2] == lines[len(ours) - 2] and lines[-2].node is groups[2]
        with pytest.raises(IndexError):
            lines[len(ours)]


async def test_a_rebuilt_sidebar_shows_its_new_lines_not_the_old_ones_of_the_same_ids() -> None:
    # Tree.clear numbers new nodes from 0 again: a line kept by id alone drew a group the
    # rebuild had dropped (an empty store's "All posts 0" over the posts of its first sync).
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_groups([], 0, all_posts=(0, 0))
        sidebar.open_group(Shelf.ALL_POSTS)
        await pilot.pause()
        sections = [Section("news", "News", SectionKind.SECTION, 3, 3)]
        sidebar.set_groups(sections, 0)
        lines = sidebar._tree_lines
        assert all(sidebar.get_node_by_id(line.node.id) is line.node for line in lines)
        assert "All posts" not in " ".join(str(line.node.label) for line in lines)


def _shown(sidebar: Sidebar) -> list[str]:
    """The sidebar's lines as drawn, without their trailing blanks."""
    return [sidebar.render_line(y).text.rstrip() for y in range(sidebar.size.height)]


@pytest.mark.parametrize("width", [30, 60])
async def test_a_title_cut_to_fit_ends_in_an_ellipsis(width: int) -> None:
    app = _Host()
    async with app.run_test(size=(width, 12)) as pilot:
        sidebar = app.query_one(Sidebar)
        when = datetime(2025, 1, 1, tzinfo=UTC)
        long = "A very long title about kidney organoids that grow their own blood vessels"
        posts = [PostSummary(1, long, "https://e.org/1/", when)]
        posts += [PostSummary(n, f"Post {n}", f"https://e.org/{n}/", when) for n in range(2, 30)]
        name = "Heart, Lung and Blood and every other organ we study here"
        sidebar.set_groups([Section("news", name, SectionKind.SECTION, 29, 29)], 0)
        sidebar.set_posts("news", posts)
        sidebar.open_group("news")
        await pilot.pause()
        shown = _shown(sidebar)
        room = sidebar.scrollable_content_region.width
        cut = [line for line in shown if line.startswith(("▼ Heart", "├ ● A very"))]
        assert len(cut) == 2, shown
        assert all(len(line) == room for line in cut), (room, cut)
        # A post's title ends in the mark; a group's name is cut before its counts.
        assert cut[1].endswith("…") and cut[0].endswith("… 29/29"), cut
        assert "├ ● Post 2" in shown  # a title that fits is left whole, with no mark
