"""The picker on its own: its one-line title, cut to fit, says that it was; its labels."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual import events
from textual._compositor import Compositor
from textual.app import App
from textual.widgets import Input, OptionList, Static

from reader.ui.pickers import Choice, Label, Picker


async def test_a_title_cut_to_fit_ends_in_an_ellipsis() -> None:
    title = "Links in this article (12,345: the first 500 that match) [b]not markup[/b]"
    app: App[None] = App()
    async with app.run_test(size=(60, 20)) as pilot:
        app.push_screen(Picker(title, [Choice(Text("a link"), 1)]))
        await pilot.pause()
        shown = app.screen.query_one("#picker-title", Static).render_line(0).text.strip()
        assert shown.endswith("…") and title.startswith(shown[:-1]), shown


async def test_a_label_is_measured_as_it_is_drawn() -> None:
    # Heights are counted from the lines' widths where every line fits, without making the
    # label's Content (the list measures all its labels when filled, and draws a screenful);
    # else as the Content drawn, which indents a wrapped line's rows (see the next test).
    texts = [
        Text("A short title\n    and its snippet"),
        Text("word " * 30 + "\n    " + "more " * 5),
        Text("wide 漢字 " * 12),
        Text("a\tb"),
        Text("a\n\nb"),
    ]
    app: App[None] = App()
    async with app.run_test(size=(120, 30)) as pilot:
        app.push_screen(Picker("Pick", [Choice(text, i) for i, text in enumerate(texts)]))
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        for text in texts:
            for width in (8, 30, 60, 100, 200):
                label = Label(text, app.console)
                wrapped = Label(text, app.console)._wrapped(options.styles, width)
                assert label.get_height(options.styles, width) == wrapped.get_height(
                    options.styles, width
                ), (text.plain, width)
        fits = Label(texts[0], app.console)
        assert fits.get_height(options.styles, 100) == 2 and fits._content is None
        shown = [options.render_line(y).text for y in range(4)]
        assert shown[0].strip() == "A short title" and shown[1].strip() == "and its snippet"
        assert isinstance(options.options[0].prompt, Label)
        assert options.options[0].prompt.plain == texts[0].plain


async def test_a_wrapped_line_of_a_label_is_indented_as_its_first_row() -> None:
    # A search result's title after its mark ("↓ ") and its snippet under it wrap under their
    # own first words, not at the left edge.
    marked = Text("↓ Muscle wasting in cancer traced to a signal from tumors\n    Feb 24, 2026")
    snippet = Text("A title\n    …people with advanced cancer lose muscle even when they eat well")
    app: App[None] = App()
    async with app.run_test(size=(50, 30)) as pilot:
        app.push_screen(Picker("Pick", [Choice(marked, 1, hangs=(2, 4)), Choice(snippet, 2)]))
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        shown = [options.render_line(y).text.rstrip() for y in range(8)]
        assert options.size.width < len(marked.plain.split("\n")[0]), shown
        indents = [len(row) - len(row.lstrip()) for row in shown]
        title_at = indents[0] + 2
        assert shown[0].lstrip().startswith("↓ Muscle") and indents[1] == title_at, shown
        assert shown[2].strip() == "Feb 24, 2026" and indents[2] == indents[0] + 4, shown
        assert shown[3].strip() == "A title", shown
        assert shown[4].strip().startswith("…people") and indents[4] == indents[3] + 4, shown
        assert indents[5] == indents[4], shown
        # Every word is still there, in order.
        words = " ".join(row.strip() for row in shown[:2])
        assert words == "↓ Muscle wasting in cancer traced to a signal from tumors", shown


async def test_the_choices_for_pasted_text_are_drawn_in_the_frame_that_shows_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Answered on Input.Changed, the choices came a frame late: that message reached the
    # picker after the frame showing the pasted text (and the old choices) had been made.
    def chooser(query: str) -> list[Choice[int]]:
        return [Choice(Text(f"found {query or 'nothing'}"), 1)]

    app: App[None] = App()
    drawn: list[tuple[str, str]] = []
    """(the box's text, the first choice) at each frame of the picker."""
    render_update = Compositor.render_update

    def noted(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        screen = app.screen
        if isinstance(screen, Picker) and compositor is screen._compositor:
            first = screen.query_one(OptionList).get_option_at_index(0).prompt
            drawn.append((screen.query_one(Input).value, str(first)))
        return render_update(compositor, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", noted)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(Picker("Search", chooser, placeholder="Words"))
        await pilot.pause()
        app.screen.query_one(Input).post_message(events.Paste("kidney"))
        await pilot.pause()
    assert ("kidney", "found kidney") in drawn
    assert ("kidney", "found nothing") not in drawn, "a frame showed the text, not its choices"


async def test_j_k_g_and_g_move_in_a_list_without_a_filter_box() -> None:
    # A trial's "t j j j enter" opened the first topic: only the arrows moved.
    picked: list[int | None] = []
    app: App[None] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        choices = [Choice(Text(f"topic {i}"), i) for i in range(6)]
        for keys, expected in ((["j", "j", "j"], 3), (["G", "k"], 4), (["G", "g", "j"], 1)):
            app.push_screen(Picker("Topics", choices), picked.append)
            await pilot.pause()
            hint = app.screen.query_one("#picker-hint", Static).render_line(0).text
            assert "j/k" in hint and "g/G" in hint, hint
            await pilot.press(*keys, "enter")
            await pilot.pause()
            assert picked[-1] == expected, keys


async def test_letters_go_to_the_filter_box_where_there_is_one() -> None:
    def chooser(query: str) -> list[Choice[str]]:
        return [Choice(Text(f"{query} {i}"), f"{query} {i}") for i in range(3)]

    picked: list[str | None] = []
    app: App[None] = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(Picker("Bookmarks", chooser, placeholder="Search"), picked.append)
        await pilot.pause()
        assert "j/k" not in app.screen.query_one("#picker-hint", Static).render_line(0).text
        await pilot.press("j", "k", "G", "g", "down", "enter")
        await pilot.pause()
        assert picked == ["jkGg 1"]


def test_a_huge_title_is_cut_in_search_results_and_bookmarks() -> None:
    # A hostile feed's 5,000-character title filled some 50 rows of the search's list (and
    # of the bookmarks'), one result a screen; the article's own header still shows it whole.
    from reader.ui.main_screen import _post_line
    from reader.ui.search_screen import search_line

    title = "Long " + "abcdefghij" * 500
    for label in (search_line(title, "a \x02match\x03 here"), _post_line(title, "Dec 4, 2026")):
        first = label.plain.split("\n")[0]
        assert len(first) < 200 and first.startswith("Long abcdefghij"), len(first)
        assert "…" in first
    assert search_line("Short title", "").plain.startswith("Short title")
    context = search_line("A title", "x" * 6000 + " \x02match\x03").plain.split("\n")[1]
    assert len(context) < 300 and context.endswith("…"), len(context)
    kept = search_line("A title", "before \x02match\x03 after")
    assert kept.plain == "A title\n    before match after"
    assert any(span.style == "bold reverse" for span in kept.spans)
