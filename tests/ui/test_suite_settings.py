"""The suite's own settings hold however pytest is started (the README's bare command too)."""

from __future__ import annotations

from textual.app import App


def test_apps_in_the_suite_run_without_animations() -> None:
    # Textual reads TEXTUAL_ANIMATIONS when first imported, and pytest-textual-snapshot imports
    # it before conftest sets it: run as the README says (no variable exported), every app
    # animated its scrolls, and test_bookmark_pictures' G had not reached the end by its b.
    assert App[None]().animation_level == "none"
