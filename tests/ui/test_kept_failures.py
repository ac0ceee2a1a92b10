"""At start, a source whose last refresh failed says so, as a failure of this run is said: a
line under its name and the status line; a source never synced says that, not a bare 0."""

from __future__ import annotations

from reader.core.source import Source
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.main_screen import NEVER_SYNCED
from tests.support.app_fixtures import SECTIONS, make_app
from tests.support.pilot_steps import main_screen, settle, status_message

_REFUSED = "Could not reach http://127.0.0.1:9/feed/: connection refused"


def _lines_under(app: ReaderApp, name: str) -> list[str]:
    """The lines a source's tree holds, by the start of its heading."""
    sidebar = main_screen(app).sidebar
    heading = next(n for n in sidebar.root.children if str(n.label).startswith(name + " "))
    return [str(child.label) for child in heading.children]


async def test_the_last_failure_and_a_source_never_synced_are_said_at_start(
    store: Store, sample_site: str
) -> None:
    # A trial: a dead address added with 'reader sources add --anyway' showed "gone 0" and
    # nothing more, until a refresh of this run failed again.
    read = Source.site(sample_site, name="institute")
    gone = Source.site("http://127.0.0.1:9/", name="gone")
    new = Source.site("http://127.0.0.1:10/", name="new")
    store.note_refresh_failed(gone, _REFUSED, offline=True)
    app = ReaderApp(
        store, read, sources=(read, gone, new), section_names=SECTIONS, refresh_on_start=False
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        assert _lines_under(app, "gone") == [f"⚠ {_REFUSED}"]
        assert _lines_under(app, "new") == [f"⚠ {NEVER_SYNCED}"]
        assert status_message(screen) == f"Last refresh: 1 of 3 sources failed; gone: {_REFUSED}"
        assert screen.status.has_class("error")
        assert screen.status.failed == 1
        assert not screen.status.offline  # the others' last refreshes reached their sites


async def test_one_sources_last_failure_is_said_in_the_status_line(
    store: Store, sample_site: str
) -> None:
    store.note_refresh_failed(Source.site(sample_site), _REFUSED, offline=True)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        assert status_message(screen) == f"Last refresh: {_REFUSED}"
        assert screen.status.has_class("error") and screen.status.offline


async def test_nothing_is_said_once_a_refresh_worked(store: Store, sample_site: str) -> None:
    source = Source.site(sample_site)
    store.note_refresh_failed(source, _REFUSED)
    store.note_refresh_worked(source)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        assert not status_message(screen).startswith("Last refresh")
        assert not screen.status.has_class("error")
