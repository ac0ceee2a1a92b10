"""What the core knows of the UI (binding ids, theme names) to check config.toml is the UI's."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding

import reader.ui
from reader.core.binding_ids import BINDING_IDS


def _ui_binding_ids() -> set[str]:
    found: set[str] = set()
    for module_info in pkgutil.iter_modules(reader.ui.__path__, "reader.ui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith("reader.ui"):
                continue
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    found.add(binding.id)
    return found


def test_binding_ids_match_the_ui() -> None:
    ui = _ui_binding_ids()
    assert ui - BINDING_IDS == set(), "add these to reader/core/binding_ids.py"
    assert BINDING_IDS - ui == set(), "no binding has these ids any more"


def test_the_core_knows_textuals_theme_names() -> None:
    from textual.theme import BUILTIN_THEMES

    from reader.core.theme_names import TEXTUAL_THEMES

    assert set(BUILTIN_THEMES) == TEXTUAL_THEMES
