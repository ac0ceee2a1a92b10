"""Theme files: loading, checking, overriding, and drawing with them in a real Textual app."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Horizontal, VerticalScroll
from textual.theme import BUILTIN_THEMES, Theme
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    OptionList,
    Static,
    Switch,
    Tree,
)

from reader.ui import themes as themes_module
from reader.ui.themes import (
    READER_VARIABLES,
    ThemeFileError,
    bundled_themes_dir,
    load_theme_file,
    load_themes,
    reader_variable_defaults,
    theme_from_document,
    theme_or_default,
)
from tests.support.contrast import contrast
from tests.support.pty_screen import PtyApp

BUNDLED = ("institute-dark", "institute-light", "high-contrast", "ansi")
REPO = Path(__file__).resolve().parents[2]

# Every reader variable used the way the reader's widgets will use it.
READER_CSS = """
.unread { color: $reader-unread; text-style: bold; }
.link { color: $reader-link; text-style: underline; }
.link-selected { background: $reader-link-selected; }
.bookmark { color: $reader-bookmark; }
"""


class ThemeShowcase(App[None]):
    """A few of the widgets the reader uses, styled with the reader's variables."""

    CSS = READER_CSS

    def __init__(self, themes: list[Theme]) -> None:
        super().__init__()
        self.reader_themes = themes

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return reader_variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList("News (3)", "  A post", "  Another post", id="sidebar")
            with VerticalScroll():
                yield Static("MARKER unread post", classes="unread")
                yield Static("[1] a link", classes="link")
                yield Static("[2] the selected link", classes="link-selected")
                yield Static("bookmarked", classes="bookmark")
                yield Input(placeholder="Search")
                yield Button("Open")
                yield Checkbox("Only unread")
                yield Switch()
                yield Tree("Topics")
        yield Footer()

    def on_mount(self) -> None:
        for theme in self.reader_themes:
            self.register_theme(theme)


def write_theme(folder: Path, file_name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def no_user_themes(tmp_path: Path) -> Path:
    return tmp_path / "no-user-themes"


# the bundled themes


def test_the_bundled_themes_all_load_without_warnings(no_user_themes: Path) -> None:
    themes, warnings = load_themes(user_dir=no_user_themes)
    assert warnings == []
    assert sorted(theme.name for theme in themes) == sorted(BUNDLED)
    for theme in themes:
        assert isinstance(theme, Theme)
        for name in READER_VARIABLES:
            Color.parse(theme.variables[name])
        generated = theme.to_color_system().generate()
        for name in READER_VARIABLES:
            assert name in {**generated, **theme.variables}


def test_each_bundled_file_names_its_own_theme() -> None:
    folder = bundled_themes_dir()
    assert folder == REPO / "themes"
    for name in BUNDLED:
        assert load_theme_file(folder / f"{name}.toml").name == name


def test_the_institute_themes_use_the_usc_colours(no_user_themes: Path) -> None:
    themes = {theme.name: theme for theme in load_themes(user_dir=no_user_themes)[0]}
    for name, dark in (("institute-dark", True), ("institute-light", False)):
        theme = themes[name]
        assert theme.dark is dark
        assert Color.parse(theme.primary) == Color.parse("#990000")
        assert theme.secondary is not None
        assert Color.parse(theme.secondary) == Color.parse("#FFCC00")


@pytest.mark.parametrize("name", ["institute-dark", "institute-light", "high-contrast"])
def test_text_and_reader_colours_are_legible(no_user_themes: Path, name: str) -> None:
    theme = {theme.name: theme for theme in load_themes(user_dir=no_user_themes)[0]}[name]
    assert theme.background is not None
    assert theme.foreground is not None
    assert contrast(theme.foreground, theme.background) >= 7
    for variable in READER_VARIABLES:
        # 4.5:1 is WCAG AA for body text.
        assert contrast(theme.variables[variable], theme.background) >= 4.5, variable
    cursor = theme.to_color_system().generate()
    assert contrast(cursor["block-cursor-foreground"], cursor["block-cursor-background"]) >= 4.5


def test_high_contrast_is_black_and_white(no_user_themes: Path) -> None:
    theme = {theme.name: theme for theme in load_themes(user_dir=no_user_themes)[0]}[
        "high-contrast"
    ]
    assert Color.parse(theme.background or "") == Color.parse("#000000")
    assert Color.parse(theme.foreground or "") == Color.parse("#FFFFFF")
    assert theme.variables["text"].upper() == "#FFFFFF"


def test_the_ansi_theme_uses_only_the_terminals_palette(no_user_themes: Path) -> None:
    theme = {theme.name: theme for theme in load_themes(user_dir=no_user_themes)[0]}["ansi"]
    assert theme.ansi is True
    document = load_theme_file(bundled_themes_dir() / "ansi.toml")
    assert document.ansi
    for value in theme.to_color_system().generate().values():
        words = value.split()
        if not words or words[0] in ("transparent", "initial", "auto"):
            continue
        try:
            colour = Color.parse(words[0])
        except Exception:  # text styles such as "bold"
            continue
        assert colour.ansi is not None, value


async def test_every_bundled_theme_draws_a_real_app(no_user_themes: Path) -> None:
    themes, _ = load_themes(user_dir=no_user_themes)
    app = ThemeShowcase(themes)
    async with app.run_test(size=(100, 30)) as pilot:
        for theme in themes:
            assert app.get_theme(theme.name) is theme
            # Switching re-parses every stylesheet with the theme's variables: an undefined
            # or malformed variable fails here.
            app.theme = theme.name
            await pilot.pause()
            assert app.current_theme.name == theme.name
            variables = app.get_css_variables()
            for name in READER_VARIABLES:
                assert variables[name] == theme.variables[name]
            unread = app.query_one(".unread", Static)
            assert unread.styles.color == Color.parse(theme.variables["reader-unread"])


async def test_textual_builtin_themes_get_reader_colours_too(no_user_themes: Path) -> None:
    app = ThemeShowcase([])
    async with app.run_test(size=(80, 24)) as pilot:
        for name in ("textual-dark", "textual-light", "ansi-dark", "nord"):
            app.theme = name
            await pilot.pause()
            assert app.get_css_variables()["reader-link"]


@pytest.mark.parametrize("theme", list(BUILTIN_THEMES.values()), ids=list(BUILTIN_THEMES))
def test_reader_defaults_suit_every_builtin_theme(theme: Theme) -> None:
    defaults = reader_variable_defaults(theme)
    assert set(defaults) == set(READER_VARIABLES)
    for value in defaults.values():
        Color.parse(value)
    if theme.ansi:
        assert all(Color.parse(value).ansi is not None for value in defaults.values())


def test_the_ansi_theme_draws_with_16_colours_in_a_terminal(no_user_themes: Path) -> None:
    program = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from tests.ui.test_themes import ThemeShowcase
        from reader.ui.themes import load_themes

        class Showcase(ThemeShowcase):
            def on_mount(self) -> None:
                super().on_mount()
                self.theme = "ansi"

        Showcase(load_themes(user_dir=Path({str(no_user_themes)!r}))[0]).run()
        """
    )
    # TERM=xterm with no COLORTERM is a 16-colour terminal, as over many SSH sessions.
    with PtyApp([sys.executable, "-c", program], cols=100, rows=30, env={"TERM": "xterm"}) as app:
        app.wait_for("MARKER", timeout=30)
        app.pump(0.5)
        screen = app.terminal.screen
        colours = {
            colour
            for row in range(screen.lines)
            for char in screen.buffer[row].values()
            for colour in (char.fg, char.bg)
        }
    # pyte names the 16 colours ("red", "brightblue", "default"); anything else comes as hex.
    assert colours, "nothing was drawn"
    assert all(
        not colour or (not colour[0].isdigit() and len(colour) != 6) for colour in colours
    ), colours
    assert b"38;2;" not in app.raw_output
    assert b"48;2;" not in app.raw_output
    assert b"38;5;" not in app.raw_output
    assert "red" in colours  # the cursor and the borders: USC cardinal, as the terminal has it


# mistakes in theme files


def test_a_bad_colour_skips_that_file_and_keeps_the_rest(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write_theme(user, "muddy.toml", 'name = "muddy"\nprimary = "#99000"\n')
    write_theme(user, "fine.toml", 'name = "fine"\nprimary = "#336699"\n')
    themes, warnings = load_themes(user_dir=user)
    names = {theme.name for theme in themes}
    assert "fine" in names
    assert "muddy" not in names
    assert set(BUNDLED) <= names
    assert len(warnings) == 1
    assert "muddy.toml" in warnings[0]
    assert "'primary' is not a colour" in warnings[0]
    assert "skipped" in warnings[0]


def test_a_misspelt_colour_name_gets_a_suggestion(tmp_path: Path) -> None:
    write_theme(tmp_path, "x.toml", 'primary = "rde"\n')
    with pytest.raises(ThemeFileError, match="did you mean 'red'"):
        load_theme_file(tmp_path / "x.toml")


def test_an_unknown_key_skips_the_file_with_a_suggestion(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write_theme(user, "typo.toml", 'name = "typo"\nprimary = "#336699"\nbackgound = "#000"\n')
    themes, warnings = load_themes(user_dir=user)
    assert "typo" not in {theme.name for theme in themes}
    assert len(warnings) == 1
    assert "typo.toml" in warnings[0]
    assert "unknown key 'backgound'" in warnings[0]
    assert "did you mean 'background'?" in warnings[0]


def test_invalid_toml_skips_the_file_naming_the_line(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write_theme(user, "broken.toml", 'name = "broken"\nprimary = #336699\n')
    themes, warnings = load_themes(user_dir=user)
    assert "broken" not in {theme.name for theme in themes}
    assert len(themes) == len(BUNDLED)
    assert len(warnings) == 1
    assert "broken.toml" in warnings[0]
    assert "not valid TOML" in warnings[0]
    assert "line 2" in warnings[0]


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({}, "'primary' is missing"),
        ({"primary": 990000}, "'primary' should be a colour"),
        ({"primary": "#990000", "name": 3}, "'name' should be"),
        ({"primary": "#990000", "dark": "yes"}, "'dark' should be true or false"),
        ({"primary": "#990000", "ansi": 1}, "'ansi' should be true or false"),
        ({"primary": "#990000", "text_alpha": 2}, "'text_alpha' should be a number from 0 to 1"),
        ({"primary": "#990000", "luminosity_spread": True}, "'luminosity_spread' should be"),
        ({"primary": "#990000", "variables": "red"}, "'variables' should be a table"),
        ({"primary": "#990000", "variables": {"a b": "red"}}, "variable name 'a b'"),
        ({"primary": "#990000", "variables": {"reader-link": "blu"}}, "'reader-link' is not a"),
        ({"primary": "#990000", "variables": {"reader-link": 5}}, "'reader-link' should be"),
        ({"primary": "#990000", "variables": {"x": "red 150%"}}, "opacity over 100%"),
        (
            {"primary": "#990000", "variables": {"block-cursor-text-style": "bold shiny"}},
            "'shiny', which is not a text style",
        ),
    ],
)
def test_each_mistake_is_named(document: dict[str, object], problem: str) -> None:
    with pytest.raises(ThemeFileError, match=problem):
        theme_from_document(document, fallback_name="test")


def test_textual_variable_forms_are_accepted() -> None:
    theme = theme_from_document(
        {
            "primary": "rgb(153, 0, 0)",
            "secondary": "hsl(48, 100%, 50%)",
            "variables": {
                "input-selection-background": "#81a1c1 35%",
                "text": "auto 87%",
                "link-background": "initial",
                "footer-background": "transparent",
                "block-cursor-text-style": "b reverse",
                "border": "ansi_bright_red",
            },
        },
        fallback_name="forms",
    )
    assert theme.name == "forms"  # no name: the file's name
    assert theme.variables["text"] == "auto 87%"


def test_omitted_reader_variables_get_defaults_and_given_ones_are_kept() -> None:
    theme = theme_from_document(
        {"primary": "#336699", "dark": False, "variables": {"reader-link": "#123456"}}, "plain"
    )
    assert theme.variables["reader-link"] == "#123456"
    assert set(READER_VARIABLES) <= set(theme.variables)
    assert theme.variables["reader-unread"] == "#336699"  # light theme: the primary colour


def test_an_ansi_theme_without_textuals_missing_variables_still_works() -> None:
    theme = theme_from_document({"primary": "ansi_blue", "ansi": True}, "mine")
    for name in ("ansi-background", "ansi-foreground", "surface-active", "foreground-disabled"):
        assert name in theme.variables


# where themes come from


def test_a_user_theme_overrides_a_bundled_one_by_name(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write_theme(user, "my-dark.toml", 'name = "institute-dark"\nprimary = "#123456"\ndark = true\n')
    write_theme(user, "extra.toml", 'primary = "#654321"\n')
    themes, warnings = load_themes(user_dir=user)
    assert warnings == []
    by_name = {theme.name: theme for theme in themes}
    assert len(by_name) == len(themes)  # each name once
    assert by_name["institute-dark"].primary == "#123456"
    assert "extra" in by_name  # named after its file
    assert set(by_name) == {*BUNDLED, "extra"}


def test_a_start_builds_only_the_users_themes_and_names_files_only_to_warn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every start loads the themes: Textual's building of every shade checks the user's own
    # (a mistake is said at start, not at a switch); the bundled ones are built by the tests
    # above. A file's shown name (home as ~, resolved) is wanted only for a warning.
    user = tmp_path / "user"
    write_theme(user, "extra.toml", 'primary = "#654321"\n')
    built: list[str] = []
    to_color_system = Theme.to_color_system

    def noted(theme: Theme) -> object:
        built.append(theme.name)
        return to_color_system(theme)

    def unwanted(path: Path) -> str:
        raise AssertionError(f"{path} named with nothing to warn about")

    monkeypatch.setattr(Theme, "to_color_system", noted)
    monkeypatch.setattr(themes_module.paths, "display_path", unwanted)
    themes, warnings = load_themes(user_dir=user)
    assert warnings == [] and {theme.name for theme in themes} == {*BUNDLED, "extra"}
    assert "extra" in built
    assert not set(built) & (set(BUNDLED) - {"ansi"}), built  # ansi's gaps need its system


def test_two_user_files_with_one_name_are_reported(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write_theme(user, "a.toml", 'name = "same"\nprimary = "#111111"\n')
    write_theme(user, "b.toml", 'name = "same"\nprimary = "#222222"\n')
    themes, warnings = load_themes(user_dir=user)
    assert {theme.primary for theme in themes if theme.name == "same"} == {"#222222"}
    assert len(warnings) == 1
    assert "b.toml" in warnings[0]


def test_the_user_folder_defaults_to_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path))
    write_theme(tmp_path / "themes", "mine.toml", 'primary = "#336699"\n')
    themes, warnings = load_themes()
    assert warnings == []
    assert "mine" in {theme.name for theme in themes}


def test_missing_bundled_themes_are_reported(tmp_path: Path) -> None:
    themes, warnings = load_themes(bundled_dir=tmp_path / "gone", user_dir=tmp_path / "none")
    assert themes == []
    assert len(warnings) == 1
    assert "bundled themes are missing" in warnings[0]


def test_bundled_themes_are_found_in_an_installed_wheel_layout(tmp_path: Path) -> None:
    # A wheel holds reader/ui/themes.py and reader/themes/*.toml, with no repository around.
    package = tmp_path / "site-packages" / "reader"
    (package / "ui").mkdir(parents=True)
    shutil.copy(themes_module.__file__, package / "ui" / "themes.py")
    shutil.copytree(REPO / "themes", package / "themes")
    spec = importlib.util.spec_from_file_location("installed_themes", package / "ui" / "themes.py")
    assert spec is not None and spec.loader is not None
    installed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(installed)
    assert installed.bundled_themes_dir() == package / "themes"
    themes, warnings = installed.load_themes(user_dir=tmp_path / "none")
    assert warnings == []
    assert sorted(theme.name for theme in themes) == sorted(BUNDLED)


def test_an_unknown_theme_name_falls_back_with_a_message() -> None:
    available = ["institute-dark", "ansi", "textual-dark"]
    assert theme_or_default("ansi", available) == ("ansi", None)
    name, message = theme_or_default("ansii", available)
    assert name == "institute-dark"
    assert message is not None
    assert "'ansii'" in message
    assert "did you mean 'ansi'?" in message
    assert theme_or_default("zzz", ["textual-dark"])[0] == "textual-dark"
