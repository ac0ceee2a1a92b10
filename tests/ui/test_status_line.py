"""The status line's sync state: a new count of a refresh's progress is drawn, not laid out."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import ProgressBar, Static

from reader.ui.status_line import StatusLine


class _Shown(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusLine()


async def test_progress_of_the_same_width_asks_for_no_layout() -> None:
    # Each layout of the screen cost the loop 20-40 ms, a few hundred times a refresh, while
    # the refresh's thread waited for the interpreter.
    app = _Shown()
    async with app.run_test(size=(80, 5)) as pilot:
        status = app.query_one(StatusLine)
        state = status.query_one("#state", Static)
        layouts: list[bool] = []
        refresh = state.refresh

        def noted(*args: Any, layout: bool = False, **kw: Any) -> Any:
            layouts.append(layout)
            return refresh(*args, layout=layout, **kw)

        state.refresh = noted  # type: ignore[method-assign]
        status.syncing = "Reading the archive 100/900"
        await pilot.pause()
        assert layouts[-1] is True  # its first width
        layouts.clear()
        status.syncing = "Reading the archive 200/900"
        status.syncing = "Reading the archive 300/900"
        await pilot.pause()
        assert layouts == [False, False]
        assert "300/900" in str(state.render())
        status.syncing = "Reading the archive 1000/9000"  # wider: laid out again
        await pilot.pause()
        assert layouts[-1] is True


async def test_the_progress_bar_is_made_by_the_first_sync_that_knows_its_length() -> None:
    # Hidden until then, it was made, styled and laid out (bar, count, ETA) at every start.
    app = _Shown()
    async with app.run_test(size=(80, 5)) as pilot:
        status = app.query_one(StatusLine)
        assert not status.query(ProgressBar)
        status.syncing = "Reading the archive"
        status.progress(3, None)  # no length known: still none
        await pilot.pause()
        assert not status.query(ProgressBar)
        status.progress(3, 10)
        await pilot.pause()
        bar = status.query_one(ProgressBar)
        assert bar.display and bar.total == 10 and bar.progress == 3
        assert [child.id for child in status.children][-1] == "state"  # left of the state
        status.progress(7, 10)
        await pilot.pause()
        assert status.query_one(ProgressBar) is bar and bar.progress == 7
        status.syncing = ""  # the sync ended: the bar hides
        await pilot.pause()
        assert not bar.display
