"""Themes: TOML files turned into Textual themes, checked before they are registered.

A theme file holds one theme::

    name = "my-theme"          # what config.toml's `theme` and the command palette call it
    dark = true                # a dark theme (Textual derives shades differently for light ones)
    ansi = false               # true: use the terminal's own palette (ansi_* colour names)
    primary = "#990000"        # the only colour required; the rest fall back to Textual's rules
    secondary = "#FFCC00"
    accent = "#FFCC00"
    foreground = "#EDEDED"
    background = "#1B1B1B"
    surface = "#242424"
    panel = "#2E2E2E"
    boost = "#FFFFFF0A"
    warning = "#FFB547"
    error = "#FF6B6B"
    success = "#7BD88F"
    luminosity_spread = 0.15   # optional, 0 to 1
    text_alpha = 0.95          # optional, 0 to 1

    [variables]                # optional: the reader's own colours, and any Textual variable
    reader-unread = "#FFCC00"         # unread posts in the sidebar
    reader-link = "#7FB2FF"           # links in an article
    reader-link-selected = "#FFCC00"  # the link the cursor is on
    reader-bookmark = "#FFCC00"       # the bookmark mark
    reader-muted = "#7F8C99"          # list bullets, quote bars and rules in an article
    reader-code = "#D0743C"           # code in an article
    reader-image = "#3F9F6F"          # the [image: ...] stand-in for a picture
    reader-embed = "#B784D6"          # the label of an embedded video
    block-cursor-text-style = "bold"  # a variable ending in "style" takes text styles

Colours are anything Textual accepts: ``#RGB``, ``#RRGGBB``, ``#RRGGBBAA``, ``rgb(...)``,
``hsl(...)``, a colour name, or ``ansi_red`` ... ``ansi_bright_white`` and ``ansi_default``
(the terminal's own colours); a variable may add an opacity, ``"#990000 60%"``. The bundled
themes live in ``themes/`` (``reader/themes`` in an installed wheel); the user's own, in the
same format, in ``<config folder>/themes/``, where one with a bundled theme's name replaces it.
A file with a mistake is skipped with a message saying which file and what is wrong.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

from reader.core import paths
from reader.core.config import DEFAULT_THEME
from reader.core.text import strip_controls

#: The CSS variables the reader's widgets use; every theme defines them (defaults fill gaps).
READER_VARIABLES = (
    "reader-unread",
    "reader-link",
    "reader-link-selected",
    "reader-bookmark",
    "reader-muted",
    "reader-code",
    "reader-image",
    "reader-embed",
)

_COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "warning",
    "error",
    "success",
)
_SWITCH_KEYS = ("dark", "ansi")
_FRACTION_KEYS = ("luminosity_spread", "text_alpha")
_KNOWN_KEYS = ("name", *_COLOUR_KEYS, *_SWITCH_KEYS, *_FRACTION_KEYS, "variables")

# Textual's own pattern for a `$variable` reference; a name outside it could never be used.
_VARIABLE_NAME = re.compile(r"[a-zA-Z0-9_\-]+")
# "colour 60%": Textual's way of giving a variable an opacity.
_WITH_OPACITY = re.compile(r"(?P<colour>.+?)\s+(?P<percent>\d+(?:\.\d+)?)%")
# Variable values that are not colours but that Textual's own themes use.
_NON_COLOUR_VALUES = ("auto", "initial", "inherit")

# Link colours for themes that do not choose their own (Textual's built-in ones, for example).
_LINK_ON_DARK = "#7FB2FF"
_LINK_ON_LIGHT = "#0B4F9E"
_LINK_IN_ANSI = "ansi_bright_blue"
# The article's other colours, by background. On dark, the renderer's own mid-tones; on light,
# darker ones, since those mid-tones read at barely 3:1 on white (WCAG AA asks 4.5:1).
_ARTICLE_ON_DARK = {
    "reader-muted": "#7F8C99",
    "reader-code": "#D0743C",
    "reader-image": "#3F9F6F",
    "reader-embed": "#B784D6",
}
_ARTICLE_ON_LIGHT = {
    "reader-muted": "#5F6B78",
    "reader-code": "#A4501C",
    "reader-image": "#1E7048",
    "reader-embed": "#7A3D99",
}
_ARTICLE_IN_ANSI = {
    "reader-muted": "ansi_bright_black",
    "reader-code": "ansi_red",
    "reader-image": "ansi_green",
    "reader-embed": "ansi_magenta",
}


# Textual's ANSI colour system leaves out variables that its widgets' CSS uses (its own ANSI
# themes set them by hand), so an ANSI theme without them fails when the CSS is parsed.
_ANSI_GAPS_DARK = {
    "ansi-background": "ansi_black",
    "ansi-foreground": "ansi_white",
    "foreground-disabled": "ansi_bright_black",
    "surface-active": "transparent",
}
_ANSI_GAPS_LIGHT = {
    **_ANSI_GAPS_DARK,
    "ansi-background": "ansi_white",
    "ansi-foreground": "ansi_black",
}


class ThemeFileError(Exception):
    """A theme file that cannot be used; the message says what is wrong with it."""


def bundled_themes_dir() -> Path:
    """The folder of the bundled theme files, in an installed wheel or a source checkout."""
    package = Path(__file__).resolve().parent.parent
    # The wheel build copies <repo>/themes to reader/themes (pyproject's force-include).
    installed = package / "themes"
    if installed.is_dir():
        return installed
    return package.parent / "themes"


def reader_variable_defaults(theme: Theme) -> dict[str, str]:
    """Values for :data:`READER_VARIABLES` that suit ``theme``, for a theme that omits them.

    The app returns these from ``App.get_theme_variable_defaults`` so that Textual's built-in
    themes work with the reader's CSS too.
    """
    uses_ansi = theme.ansi or _is_ansi(theme.primary)
    # On a light background the accent colours of most themes are too pale to read as text.
    highlight = (theme.accent or theme.primary) if theme.dark or uses_ansi else theme.primary
    link = _LINK_IN_ANSI if uses_ansi else _LINK_ON_DARK if theme.dark else _LINK_ON_LIGHT
    article = (
        _ARTICLE_IN_ANSI if uses_ansi else _ARTICLE_ON_DARK if theme.dark else _ARTICLE_ON_LIGHT
    )
    return {
        "reader-unread": highlight,
        "reader-link": link,
        "reader-link-selected": highlight,
        "reader-bookmark": highlight,
        **article,
    }


def _is_ansi(colour: str) -> bool:
    try:
        return Color.parse(colour).ansi is not None
    except ColorParseError:
        return False


def _ansi_gaps(theme: Theme) -> dict[str, str]:
    """Values for the variables Textual's ANSI colour system misses, so its CSS can parse."""
    with_ansi = theme.to_color_system().generate()
    # The full (non-ANSI) system lists every variable Textual's own CSS may refer to.
    everything = replace(theme, ansi=False).to_color_system().generate()
    known = _ANSI_GAPS_DARK if theme.dark else _ANSI_GAPS_LIGHT
    return {
        name: known.get(name, value) for name, value in everything.items() if name not in with_ansi
    }


def _colour(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ThemeFileError(f"'{key}' should be a colour in quotes, e.g. \"#990000\"")
    try:
        Color.parse(value.strip())
    except ColorParseError as error:
        raise ThemeFileError(f"'{key}' is not a colour: {error}") from None
    return value.strip()


def _variable_value(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ThemeFileError(f"variable '{name}' should be a value in quotes, e.g. \"#990000\"")
    value = value.strip()
    if name.endswith("style"):
        unknown = [word for word in value.split() if word not in VALID_STYLE_FLAGS]
        if unknown:
            flags = ", ".join(sorted(VALID_STYLE_FLAGS))
            raise ThemeFileError(
                f"variable '{name}' has '{unknown[0]}', which is not a text style ({flags})"
            )
        return value
    match = _WITH_OPACITY.fullmatch(value)
    colour = match.group("colour") if match else value
    if match and float(match.group("percent")) > 100:
        raise ThemeFileError(f"variable '{name}' has an opacity over 100%: {value!r}")
    if colour in _NON_COLOUR_VALUES:
        return value
    try:
        Color.parse(colour)
    except ColorParseError as error:
        raise ThemeFileError(f"variable '{name}' is not a colour: {error}") from None
    return value


def _variables(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ThemeFileError("'variables' should be a table: a [variables] line, then names")
    variables: dict[str, str] = {}
    for name, setting in value.items():
        if not _VARIABLE_NAME.fullmatch(name):
            raise ThemeFileError(
                f"variable name '{name}' may only hold letters, digits, '-' and '_'"
            )
        variables[name] = _variable_value(name, setting)
    return variables


def _unknown_key(key: str) -> ThemeFileError:
    guess = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
    hint = f"did you mean '{guess[0]}'?" if guess else f"known keys: {', '.join(_KNOWN_KEYS)}"
    return ThemeFileError(f"unknown key '{key}' ({hint})")


def theme_from_document(
    document: Mapping[str, Any], fallback_name: str, *, built: bool = True
) -> Theme:
    """A checked :class:`Theme` from a parsed theme file; raises :class:`ThemeFileError`.

    ``built``: Textual builds every shade of it once, to find what it cannot work with now
    rather than at a switch to the theme. The bundled themes skip that (their tests build
    them): 4-5 ms of every start for the four.
    """
    for key in document:
        if key not in _KNOWN_KEYS:
            raise _unknown_key(key)
    name = document.get("name", fallback_name)
    if not isinstance(name, str) or not strip_controls(name).strip():
        raise ThemeFileError("'name' should be the theme's name in quotes, e.g. \"my-theme\"")
    if "primary" not in document:
        raise ThemeFileError("'primary' is missing; every theme needs a primary colour")
    # Checked values only, by Theme's own field names; Any because the fields differ in type.
    settings: dict[str, Any] = {
        key: _colour(key, document[key]) for key in _COLOUR_KEYS if key in document
    }
    for key in _SWITCH_KEYS:
        if key in document:
            if not isinstance(document[key], bool):
                raise ThemeFileError(f"'{key}' should be true or false (no quotes)")
            settings[key] = document[key]
    for key in _FRACTION_KEYS:
        if key in document:
            value = document[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ThemeFileError(f"'{key}' should be a number from 0 to 1, e.g. 0.5")
            settings[key] = float(value)
    variables = _variables(document.get("variables", {}))
    theme = Theme(name=strip_controls(name).strip(), **settings)
    theme.variables = {**reader_variable_defaults(theme), **variables}
    try:
        if theme.ansi:
            theme.variables = {**_ansi_gaps(theme), **theme.variables}
        # Textual derives every shade from these; anything it cannot work with shows up here
        # rather than when the user switches to the theme.
        if built:
            theme.to_color_system().generate()
    except (ColorParseError, ValueError, TypeError) as error:
        raise ThemeFileError(f"Textual cannot build the theme: {error}") from None
    return theme


def load_theme_file(path: Path, *, built: bool = True) -> Theme:
    """Read and check one theme file; raises :class:`ThemeFileError` saying what is wrong.

    ``built`` as for :func:`theme_from_document`.
    """
    try:
        document = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ThemeFileError(f"cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise ThemeFileError("is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"is not valid TOML: {error}") from None
    return theme_from_document(document, fallback_name=path.stem, built=built)


def _load_folder(
    folder: Path, themes: dict[str, Theme], warnings: list[str], *, built: bool = True
) -> None:
    try:
        files = sorted(folder.glob("*.toml"))
    except OSError as error:
        warnings.append(f"{paths.display_path(folder)}: cannot list the themes ({error})")
        return
    loaded_here: set[str] = set()
    for path in files:
        # A file's name as shown (home as ~, resolved) only for a warning: 1 ms for four.
        try:
            theme = load_theme_file(path, built=built)
        except ThemeFileError as error:
            warnings.append(f"{paths.display_path(path)}: {error}; skipped this theme")
            continue
        if theme.name in loaded_here:
            warnings.append(
                f"{paths.display_path(path)}: another file here is also named "
                f"'{theme.name}'; using this one"
            )
        loaded_here.add(theme.name)
        themes[theme.name] = theme


def load_themes(
    bundled_dir: Path | None = None, user_dir: Path | None = None
) -> tuple[list[Theme], list[str]]:
    """Every usable theme, bundled first, the user's replacing bundled ones of the same name.

    ``bundled_dir`` defaults to :func:`bundled_themes_dir`, ``user_dir`` to the user's theme
    folder; a missing user folder is normal and silent. Returns the themes and one warning per
    file that was skipped.
    """
    bundled_dir = bundled_themes_dir() if bundled_dir is None else bundled_dir
    user_dir = paths.user_themes_dir() if user_dir is None else user_dir
    themes: dict[str, Theme] = {}
    warnings: list[str] = []
    if bundled_dir.is_dir():
        _load_folder(bundled_dir, themes, warnings, built=False)
    else:
        warnings.append(
            f"{paths.display_path(bundled_dir)}: the bundled themes are missing; "
            "reinstall the reader to get them back"
        )
    if user_dir.is_dir():
        _load_folder(user_dir, themes, warnings)
    return list(themes.values()), warnings


CYCLE_ORDER = ("institute-dark", "institute-light", "high-contrast", "ansi")
"""The bundled themes in the order ctrl+t visits them: the site's colours dark and light, then
the two made for hard terminals (low vision, bright rooms; 16 colours, SSH, a light terminal)."""


def cycled_themes(loaded: Iterable[str]) -> tuple[str, ...]:
    """What ctrl+t steps through: the bundled themes in :data:`CYCLE_ORDER`, then the user's.

    Textual's own twenty-odd are left to the palette: most differ only in hue, and the reader's
    own colours (unread marks, link numbers) were chosen for the bundled ones.
    """
    names = list(dict.fromkeys(loaded))
    first = [name for name in CYCLE_ORDER if name in names]
    return (*first, *sorted(name for name in names if name not in CYCLE_ORDER))


def theme_or_default(wanted: str, available: Collection[str]) -> tuple[str, str | None]:
    """``wanted`` if it is available, else the default theme and a message saying why."""
    if wanted in available:
        return wanted, None
    fallback = DEFAULT_THEME if DEFAULT_THEME in available else "textual-dark"
    guess = difflib.get_close_matches(wanted, list(available), n=1)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    return fallback, f"No theme is called '{wanted}'{hint}; using {fallback}"
