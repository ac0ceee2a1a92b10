"""Every colour a bundled theme sets is drawn with: no theme setting that nothing uses."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import reader.ui
from reader.ui.themes import bundled_themes_dir, theme_from_document

UI = Path(reader.ui.__file__).parent
_REFERENCE = re.compile(r"\$([A-Za-z0-9_-]+)")
_NOT_COLOURS = ("name", "dark", "ansi", "luminosity_spread", "text_alpha", "variables")

# In a fresh interpreter, so only the widgets the reader imports count (not this test's).
_CSS_OF_THE_READER = """
import importlib, json, pkgutil, sys
import reader.ui
from textual.dom import DOMNode
for found in pkgutil.iter_modules(reader.ui.__path__):
    importlib.import_module("reader.ui." + found.name)
# Imported when first made: the status line's bar, at the first sync that knows its length.
from textual.widgets import ProgressBar
seen, todo, css = set(), [DOMNode], []
while todo:
    cls = todo.pop()
    seen.add(cls)
    todo += [sub for sub in cls.__subclasses__() if sub not in seen]
    css += [v for k, v in vars(cls).items() if k in ("DEFAULT_CSS", "CSS") and isinstance(v, str)]
json.dump(css, sys.stdout)
"""


def _python_strings() -> list[str]:
    """Every string literal in the reader's UI code (CSS, Content styles, variable lookups)."""
    found = []
    for path in sorted(UI.glob("*.py")):
        if path.name == "themes.py":  # where the defaults are made: no use of a colour
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
    return found


@pytest.fixture(scope="module")
def drawn_with() -> set[str]:
    """The variables the reader may draw with: ``$name`` in any CSS or style, or looked up."""
    out = subprocess.run(
        [sys.executable, "-c", _CSS_OF_THE_READER], capture_output=True, text=True, check=True
    )
    texts = [*json.loads(out.stdout), *(p.read_text() for p in UI.rglob("*.tcss"))]
    strings = _python_strings()
    names = {name for text in [*texts, *strings] for name in _REFERENCE.findall(text)}
    return names | set(strings)


def _another(value: str, name: str) -> str:
    """A different value of the same kind, to see what changing the setting changes."""
    if name.endswith("style"):
        return "italic" if "italic" not in value else "underline"
    if value.startswith("ansi_"):
        return "ansi_blue" if value != "ansi_blue" else "ansi_green"
    return "#123457"


def _variables(document: dict[str, Any]) -> dict[str, str]:
    """Every CSS variable a theme file makes, as the app computes them."""
    theme = theme_from_document(document, "probe")
    return {**theme.to_color_system().generate(), **theme.variables}


def _settings(document: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(None, key) for each top-level colour, ("variables", name) for each variable."""
    top = [(None, key) for key in document if key not in _NOT_COLOURS]
    return top + [("variables", name) for name in document.get("variables", {})]


def _unused(document: dict[str, Any], drawn_with: set[str]) -> list[str]:
    before = _variables(document)
    unused = []
    for table, key in _settings(document):
        changed = json.loads(json.dumps(document))
        place = changed if table is None else changed[table]
        place[key] = _another(str(place[key]), key)
        after = _variables(changed)
        differs = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
        if not differs & drawn_with:
            unused.append(key if table is None else f"[{table}] {key}")
    return unused


@pytest.mark.parametrize("path", sorted(bundled_themes_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_every_colour_a_bundled_theme_sets_is_drawn_with(path: Path, drawn_with: set[str]) -> None:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert _unused(document, drawn_with) == []


def test_a_setting_nothing_draws_with_is_found(drawn_with: set[str]) -> None:
    document = {"primary": "#990000", "variables": {"reader-unread": "#FFCC00", "nobody": "red"}}
    assert _unused(document, drawn_with) == ["[variables] nobody"]
