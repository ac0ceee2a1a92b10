"""``t``: a post's sections, topics and tags, labelled, in the order its header names them."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from reader.core.models import Link, LinkKind
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.help_screen import HelpScreen
from reader.ui.pickers import Picker
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle, until


@pytest.mark.parametrize("size", [(120, 40), (60, 20)])
async def test_the_topics_are_labelled_and_in_the_headers_order(
    store: Store, sample_site: str, size: tuple[int, int]
) -> None:
    post = store.post(store.posts_in()[3].id)
    assert post is not None and post.sections and post.tags
    # The page's "Read more about" links, in the page's order, which is not the header's: a
    # trial's picker said "Kidney, News, single-cell sequencing" below "News · Kidney · ...".
    slugs = {s.name: s.slug for s in store.sections(include_tags=True)}
    page_order = [*post.tags, *reversed(post.sections)]
    store.save_page(
        post.id,
        content=None,
        links=[
            Link(
                LinkKind.TOPIC,
                f"{sample_site}{'tag' if n in post.tags else 'category'}/{slugs[n]}/",
                n,
            )
            for n in page_order
        ],
    )
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=size) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        screen.open_post_id(post.id)
        await until(pilot, lambda: screen.post is not None and screen.post.id == post.id)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, Picker))
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        header = [*post.sections, *post.tags]  # what the article's header joins with " · "
        assert [line.split(maxsplit=1)[1] for line in lines] == header
        words = [line.split(maxsplit=1)[0] for line in lines]
        assert words[0] == "Section" and words[-1] == "Tag" and "Topic" in words, lines
        # Each line is whole at this size: the kind, and the name after it.
        width = options.scrollable_content_region.width
        assert max(len(line) for line in lines) <= width, (lines, width)
        for row, line in enumerate(lines):
            assert options.render_line(row).text.strip() == line.strip()


async def test_q_and_question_mark_act_in_a_list_without_a_filter_box_and_are_typed_in_one_with_it(
    store: Store, sample_site: str
) -> None:
    # In a modal screen the app's own q is out of reach: in the t and L lists q did nothing
    # (a mutt or newsboat reader leaves a menu with q). A filter box still takes it as a letter.
    from textual.widgets import Input

    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(app, pilot)
        screen.open_post_id(store.posts_in()[3].id)
        await until(pilot, lambda: screen.post is not None)
        for key in ("t", "L"):
            await pilot.press(key)
            await until(pilot, lambda: isinstance(app.screen, Picker))
            await pilot.press("q")
            await until(pilot, lambda: app.screen is screen)
            assert app.return_code is None, key  # closed the list, not the reader
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, Picker))
        listing = app.screen
        await pilot.press("question_mark")  # did nothing too: the help opens over the list
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen is listing)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("B")
        await until(pilot, lambda: isinstance(app.screen, Picker))
        await pilot.press("question_mark", "q")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        assert app.screen.query_one(Input).value == "?q"
