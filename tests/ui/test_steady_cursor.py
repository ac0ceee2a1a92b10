"""Text boxes keep their cursor still and drawn: a blinking one redraws the box for nothing."""

from __future__ import annotations

from textual.widgets import Input

from reader.core.store import Store
from reader.ui.app import ReaderApp
from tests.support.app_fixtures import make_app


def _cursor_drawn(box: Input) -> bool:
    """The box's line shows the cursor's style on some cell."""
    cursor = box.get_component_rich_style("input--cursor")
    lines = [box.render_line(y) for y in range(box.size.height)]
    return any(segment.style == cursor for line in lines for segment in line)


async def test_search_and_palette_boxes_do_not_blink(store: Store, sample_site: str) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("slash", "ctrl+p"):
            await pilot.press(key)
            await pilot.pause()
            box = app.focused
            assert isinstance(box, Input), f"{key}: focus is on {box!r}"
            assert not box.cursor_blink, f"{key}: the cursor blinks"
            assert _cursor_drawn(box), f"{key}: no cursor drawn"
            await pilot.press("a")
            await pilot.pause()
            assert _cursor_drawn(box), f"{key}: no cursor after typing"
            await pilot.press("escape")
            await pilot.pause()
