"""The picker on its own: its one-line title, cut to fit, says that it was; its labels."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.widgets import OptionList, Static

from reader.ui.pickers import Choice, Label, Picker


async def test_a_title_cut_to_fit_ends_in_an_ellipsis() -> None:
    title = "Links in this article (12,345: the first 500 that match) [b]not markup[/b]"
    app: App[None] = App()
    async with app.run_test(size=(60, 20)) as pilot:
        app.push_screen(Picker(title, [Choice(Text("a link"), 1)]))
        await pilot.pause()
        shown = app.screen.query_one("#picker-title", Static).render_line(0).text.strip()
        assert shown.endswith("…") and title.startswith(shown[:-1]), shown


async def test_a_label_is_measured_as_textual_wraps_it_and_drawn_as_textual_draws_it() -> None:
    # Heights are counted from the lines' widths where every line fits, without making the
    # label's Content (the list measures all its labels when filled, and draws a screenful).
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
                wrapped = Content.from_rich_text(text, console=app.console)
                assert label.get_height(options.styles, width) == wrapped.get_height(
                    options.styles, width
                ), (text.plain, width)
        fits = Label(texts[0], app.console)
        assert fits.get_height(options.styles, 100) == 2 and fits._content is None
        shown = [options.render_line(y).text for y in range(4)]
        assert shown[0].strip() == "A short title" and shown[1].strip() == "and its snippet"
        assert isinstance(options.options[0].prompt, Label)
        assert options.options[0].prompt.plain == texts[0].plain
