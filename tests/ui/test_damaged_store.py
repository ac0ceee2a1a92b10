"""A damaged store gets a screen that says what is wrong and what to do, never a traceback;
the reader then exits with status 1 and the file is never written. Under Pilot, and the real
reader in a pseudo-terminal."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from reader.core.store import STORE_FILE, Store
from reader.core.store_errors import damage_mark_file, damaged
from reader.ui.app import ReaderApp
from reader.ui.damaged_screen import DamagedStoreScreen
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import SECTIONS, make_app
from tests.support.damage import scribble_table_page
from tests.support.pty_screen import PtyApp

ROOT = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def scribbled(template: Path, tmp_path: Path) -> Path:
    """The folder of a synced store, one page of its posts overwritten with noise."""
    folder = tmp_path / "scribbled"
    folder.mkdir()
    shutil.copy(template, folder / STORE_FILE)
    scribble_table_page(folder / STORE_FILE)
    return folder


async def _damage_screen(app: ReaderApp, pilot: object) -> DamagedStoreScreen:
    for _ in range(200):
        if isinstance(app.screen, DamagedStoreScreen):
            return app.screen
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError(f"no damaged-store screen; the screen is {app.screen!r}")


def _said(screen: DamagedStoreScreen) -> str:
    return str(screen.query_one("#damage", Static).content)


async def test_damage_found_by_the_check_at_start_gets_its_screen_and_status_1(
    scribbled: Path, sample_site: str
) -> None:
    store_file = scribbled / STORE_FILE
    before = _digest(store_file)
    store = Store.open_in(scribbled, section_names=SECTIONS)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _damage_screen(app, pilot)
        text = _said(screen)
        assert "The store is damaged" in text and str(store_file) in text
        assert "store rescue -o" in text and "store check" in text
        for key in ("n", "b", "m", "enter"):  # nothing reads or writes behind the screen
            await pilot.press(key)
        await pilot.press("q")
    assert app.return_code == 1
    assert damage_mark_file(store_file).exists()
    assert _digest(store_file) == before


async def test_a_store_marked_damaged_shows_the_screen_without_reading_it(
    template: Path, tmp_path: Path, sample_site: str
) -> None:
    folder = tmp_path / "marked"
    folder.mkdir()
    shutil.copy(template, folder / STORE_FILE)
    first = Store.open_in(folder)
    first._db.mark_damaged(damaged(folder / STORE_FILE, "found by an earlier command"))
    first.close()
    store = Store.open_in(folder, section_names=SECTIONS)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _damage_screen(app, pilot)
        assert "found by an earlier command" in _said(screen)
        assert not app.query(MainScreen)
        await pilot.press("q")
    assert app.return_code == 1


@pytest.mark.parametrize(
    ("key", "reads"),
    [
        # enter reaches the screen through the sidebar's message; p runs an action on the
        # app's own message loop, which must survive to show the screen and hear q.
        ("enter", ("find_readable", "post")),
        ("p", ("find_post", "neighbour", "post")),
    ],
)
async def test_damage_met_by_a_key_mid_way_gets_the_screen_not_a_traceback(
    key: str,
    reads: tuple[str, ...],
    store: Store,
    sample_site: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # a post open, so p has somewhere to go from
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

        def damaged_read(*args: object, **kwargs: object) -> object:
            raise damaged(store.path, "database disk image is malformed")

        for name in reads:
            monkeypatch.setattr(Store, name, damaged_read)
        await pilot.press("escape", key)
        screen = await _damage_screen(app, pilot)
        assert "database disk image is malformed" in _said(screen)
        await pilot.press("q")
    assert app.return_code == 1


def test_the_real_reader_on_a_damaged_store_explains_and_exits_1(scribbled: Path) -> None:
    store_file = scribbled / STORE_FILE
    before = _digest(store_file)
    command = [sys.executable, "-m", "reader", "--data-dir", str(scribbled), "--no-refresh"]
    with PtyApp(command, cols=80, rows=24, cwd=ROOT) as app:
        app.wait_for("The store is damaged", timeout=30)
        # The title can be drawn a frame before the advice below it (seen under load).
        app.wait_for("rescue", timeout=30)
        screen = app.screen_text()
        assert "rescue" in screen and "Traceback" not in screen
        app.send("q")
        assert app.wait_for_exit(timeout=15) == 1
        after = app.raw_output.decode(errors="replace")
    # Printed again once the terminal is back, each command on one line, to be copied.
    assert f"store rescue -o {scribbled}/rescued.sqlite3" in after
    assert "Traceback" not in after
    assert _digest(store_file) == before
