"""Tags opened in the sidebar are listed again at the next start: a site has too many tags for
the sidebar to list them all, so only the ones the reader opened are there, under "Tags"."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from rich.text import Text

from reader.core.models import SectionKind
from reader.core.source import Source
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.main_screen import _OPENED_TAGS, TAG_KEPT_DAYS
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


async def test_the_kept_tags_are_counted_in_one_query_at_start(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each kept tag cost a Store.section (every section's and tag's counts) on the loop
    # before the first frame: about 70 ms each at 30,000 posts.
    tags = [s for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG][:3]
    source_id = store.source_id(Source.site(sample_site))
    assert source_id is not None and len(tags) == 3
    # As kept before starts were counted: a list of slugs.
    store.set_source_meta(source_id, _OPENED_TAGS, json.dumps([t.slug for t in tags]))
    asked: list[str] = []
    section = Store.section
    monkeypatch.setattr(Store, "section", lambda self, slug, **kw: asked.append(slug))
    app = make_app(store, sample_site)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = main_screen(app).sidebar
        await settle(app, pilot)
        assert sidebar.opened_tags == [tag.slug for tag in tags]
        assert asked == []
    monkeypatch.setattr(Store, "section", section)
    again = Store(store.path, section_names=SECTIONS)
    try:
        for tag in tags:
            (counted,) = again.sections_named([tag.slug], source=source_id)
            assert counted == again.section(tag.slug, source=source_id)
    finally:
        again.close()


async def test_a_tag_not_opened_for_many_days_is_listed_no_more(
    store: Store, sample_site: str
) -> None:
    """Days, not starts: each ``reader open`` from a mail client and each SSH session of one
    account is a start, and twenty of them in a day dropped a tag opened that morning."""
    old, new, older = [s for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG][
        :3
    ]
    source_id = store.source_id(Source.site(sample_site))
    assert source_id is not None
    today = date.today()

    def kept() -> object:
        again = Store(store.path, section_names=SECTIONS)
        try:
            return json.loads(again.source_meta(source_id, _OPENED_TAGS) or "null")
        finally:
            again.close()

    def ago(days: int) -> str:
        return (today - timedelta(days=days)).isoformat()

    # One at the limit's edge, one today, one in the format briefly kept (starts): kept.
    opened = {old.slug: ago(TAG_KEPT_DAYS - 1), new.slug: ago(0), older.slug: 19}
    store.set_source_meta(source_id, _OPENED_TAGS, json.dumps(opened))
    for _start in range(3):  # starts on one day change nothing
        app = make_app(Store(store.path, section_names=SECTIONS), sample_site)
        async with app.run_test(size=SIZE) as pilot:
            screen = main_screen(app)
            await settle(app, pilot)
            assert screen.sidebar.opened_tags == [old.slug, new.slug, older.slug]
    assert kept() == {old.slug: ago(TAG_KEPT_DAYS - 1), new.slug: ago(0), older.slug: ago(0)}
    # The limit passed: listed no more.
    store.set_source_meta(source_id, _OPENED_TAGS, json.dumps({**opened, old.slug: ago(60)}))
    again = Store(store.path, section_names=SECTIONS)
    app = make_app(again, sample_site)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        assert screen.sidebar.opened_tags == [new.slug, older.slug]
    assert kept() == {new.slug: ago(0), older.slug: ago(0)}


async def test_opening_a_kept_tag_keeps_it_from_today(store: Store, sample_site: str) -> None:
    tag = next(s for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG)
    source_id = store.source_id(Source.site(sample_site))
    assert source_id is not None
    long_ago = (date.today() - timedelta(days=TAG_KEPT_DAYS - 1)).isoformat()
    store.set_source_meta(source_id, _OPENED_TAGS, json.dumps({tag.slug: long_ago}))
    app = make_app(Store(store.path, section_names=SECTIONS), sample_site)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        screen.go(screen.navigator.group(tag.slug))
        await settle(app, pilot)
    again = Store(store.path, section_names=SECTIONS)
    try:
        assert json.loads(again.source_meta(source_id, _OPENED_TAGS)) == {
            tag.slug: date.today().isoformat()
        }
    finally:
        again.close()
