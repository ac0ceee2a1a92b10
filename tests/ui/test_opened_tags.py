"""Tags opened in the sidebar are listed again at the next start: a site has too many tags for
the sidebar to list them all, so only the ones the reader opened are there, under "Tags"."""

from __future__ import annotations

from rich.text import Text

from reader.core.models import SectionKind
from reader.core.store import Store
from reader.ui.app import ReaderApp
from tests.support.app_fixtures import SECTIONS, make_app
from tests.support.pilot_steps import main_screen, settle

SIZE = (120, 40)


async def test_a_tag_opened_is_listed_again_after_the_reader_quits(
    store: Store, sample_site: str
) -> None:
    tags = [s for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG][:2]
    assert len(tags) == 2
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        for tag in tags:
            screen.go(screen.navigator.group(tag.slug))
            await settle(app, pilot)
        assert screen.sidebar.opened_tags == [tag.slug for tag in tags]
    # Read from the file, as the next start reads it.
    again = Store(store.path, section_names=SECTIONS)
    try:
        app = make_app(again, sample_site)
        assert isinstance(app, ReaderApp)
        async with app.run_test(size=SIZE) as pilot:
            sidebar = main_screen(app).sidebar
            await settle(app, pilot)
            assert sidebar.opened_tags == [tag.slug for tag in tags]
            label = sidebar._groups[tags[0].slug].label
            plain = label.plain if isinstance(label, Text) else str(label)
            assert plain == f"{tags[0].name} {tags[0].count}/{tags[0].count}"
    finally:
        again.close()
