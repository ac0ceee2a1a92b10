"""The names of the themes the reader can start with, found without loading Textual.

``reader config show`` uses them to say whether the configured theme exists; the UI loads and
checks the themes themselves (``reader/ui/themes.py``).
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from reader.core import paths

#: Textual's own themes (``textual.theme.BUILTIN_THEMES``; a UI test keeps this list equal).
TEXTUAL_THEMES = frozenset(
    {
        "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe",
        "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki",
        "gruvbox", "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon",
        "solarized-dark", "solarized-light", "textual-dark", "textual-light", "tokyo-night",
    }
)  # fmt: skip


def bundled_themes_folder() -> Path:
    """The bundled theme files: ``reader/themes`` in a wheel, ``themes/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "themes"
    return installed if installed.is_dir() else package.parent / "themes"


def theme_names(bundled: Path | None = None, user: Path | None = None) -> set[str]:
    """Every theme name: Textual's, the bundled files' and the user's own files'."""
    names = set(TEXTUAL_THEMES)
    for folder in (bundled or bundled_themes_folder(), user or paths.user_themes_dir()):
        try:
            files = sorted(folder.glob("*.toml"))
        except OSError:
            continue
        for path in files:
            try:
                name = tomllib.loads(path.read_text(encoding="utf-8")).get("name", path.stem)
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # the UI says what is wrong with such a file, and skips it
            if isinstance(name, str):
                names.add(name)
    return names


def unknown_theme(theme: str, names: set[str], fallback: str) -> str | None:
    """What to say when no theme is called ``theme`` (the reader uses ``fallback``), else None."""
    if theme in names:
        return None
    guess = difflib.get_close_matches(theme, sorted(names), n=1)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    return f"no theme is called '{theme}'{hint}; the reader uses {fallback}"
