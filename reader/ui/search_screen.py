"""Search (``/``): the store's full text as you type; ``ctrl+o`` widens to the whole site.

The wide search asks the site's REST API, so it finds posts the store has never seen; picking
one of those fetches, extracts and stores it like any in-site link.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from reader.core import wordpress
from reader.core.fetch import Fetcher, FetchError
from reader.core.navigation import PostAt, StoredPost
from reader.core.store import SourceScope, Store
from reader.render.title_cut import NAVIGATION_TITLE_MOST, cut_to_cells
from reader.ui import keys
from reader.ui.pickers import Choice, Picker, hint_line
from reader.ui.workers import failure_line, failure_traceback

LOCAL_HINT = "enter opens · ctrl+o searches the whole site · esc closes"
WIDE_HINT = "enter opens (posts marked ↓ are fetched) · esc closes"


_SNIPPET_MOST = 240
"""The most cells of a result's match in context."""


def search_line(title: str, snippet: str, source: str = "") -> Text:
    """A result: the title (and its source), then the match in context, highlighted."""
    line = Text(cut_to_cells(title, NAVIGATION_TITLE_MOST), style="bold")
    if source:
        line.append(f"  · {source}", style="dim")
    line.append("\n    ")
    # The store marks matches with STX/ETX; they become highlights here.
    parts = snippet.split("\x02")
    context = Text()
    context.append(parts[0], style="dim")
    for part in parts[1:]:
        match, _, rest = part.partition("\x03")
        context.append(match, style="bold reverse")
        context.append(rest, style="dim")
    # The store's snippet is some words around the match: one word of 6,000 letters (a
    # hostile body) was all of it, 60 rows under its title.
    context.truncate(_SNIPPET_MOST, overflow="ellipsis")
    return line.append_text(context)


class SearchScreen(Picker[StoredPost | PostAt]):
    """Ranked full-text search of the store, widened to the site on request.

    Picks return the stored post, or the address of one found on the site.
    """

    BINDINGS = [*keys.SEARCH]

    def __init__(
        self,
        store: Store,
        *,
        site: str | None,
        make_fetcher: Callable[[], Fetcher],
        source_name: Callable[[int], str] = lambda source_id: "",
        scope: SourceScope = None,
    ) -> None:
        super().__init__(
            "Search",
            self._local,
            placeholder="Words to find in titles and text",
            empty="No matches in the store.",
            untyped="",
            hint=LOCAL_HINT if site else "enter opens · esc closes",
        )
        self._store = store
        self._source_name = source_name
        """The name of a post's source, said beside it when several are read."""
        self._scope = scope
        """The sources searched: those the reader reads (None: every source stored)."""
        self._site = site
        self._make_fetcher = make_fetcher

    def _local(self, query: str) -> list[Choice[StoredPost | PostAt]]:
        return [
            Choice(
                search_line(h.post.title, h.snippet, self._source_name(h.post.source_id)),
                StoredPost(h.post.id),
            )
            for h in self._store.search(query, source=self._scope)
        ]

    def action_widen(self) -> None:
        """Search the whole site through its REST API."""
        query = self.query_one(Input).value.strip()
        hint = self.query_one("#picker-hint", Static)
        if not self._site:
            hint.update(Text("This source has no site to search: only the store is searched."))
            return
        if not query:
            hint.update(Text("Type some words first."))
            return
        hint.update(Text(f"Searching the whole site for “{query}”…"))
        self._search_site(query)

    @work(
        exclusive=True,
        group="wide-search",
        exit_on_error=False,
        description="Searching the whole site",
    )
    async def _search_site(self, query: str) -> None:
        hint = self.query_one("#picker-hint", Static)
        assert self._site is not None
        try:
            async with self._make_fetcher() as fetcher:
                found = await wordpress.search(fetcher, self._site, query, {}, {})
        except FetchError as error:
            message = "Offline: only the store can be searched." if error.offline else str(error)
            hint.update(Text(message))
            return
        choices: list[Choice[StoredPost | PostAt]] = []
        for post in found:
            stored = self._store.find_post(post.url)
            label = Text("  " if stored else "↓ ", style="bold")
            label.append(cut_to_cells(post.title, NAVIGATION_TITLE_MOST), style="bold")
            when = f"{post.published:%b %-d, %Y}" if post.published else ""
            label.append(f"\n    {when}", style="dim")
            value = StoredPost(stored.id) if stored else PostAt(post.url)
            # The title wraps under its first word, not under the mark.
            choices.append(Choice(label, value, hangs=(2, 4)))
        self._choices = choices
        self._empty = "No matches on the site either."
        self._fill()
        hint.update(hint_line(WIDE_HINT))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A wide search that failed in an unforeseen way says so instead of searching on."""
        if event.state is WorkerState.ERROR:
            self.log.error(failure_traceback(event.worker))
            self.query_one("#picker-hint", Static).update(Text(failure_line(event.worker)))
