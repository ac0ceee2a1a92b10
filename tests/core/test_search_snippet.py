"""Snippets made from a hit's text: marked words, the cut shown, case and accents folded."""

from __future__ import annotations

from reader.core.search_snippet import END, START, snippet_of


def _shown(snippet: str) -> str:
    return snippet.replace(START, "[").replace(END, "]")


def test_the_words_around_the_first_match_are_marked_and_cuts_shown() -> None:
    body = " ".join(f"w{i}" for i in range(30)) + " Building tissue, slowly. " + "x " * 30
    got = _shown(snippet_of(body, ["building", "tissue"], last_is_prefix=False))
    assert got == "…w27 w28 w29 [Building] [tissue], slowly. x x x x x x…"


def test_the_last_word_is_a_prefix_while_typing_and_accents_are_folded() -> None:
    body = "The Café organoïds grew; organoid cores too."
    got = _shown(snippet_of(body, ["cafe", "organoi"], last_is_prefix=True))
    assert got == "The [Café] [organoïds] grew; [organoid] cores too."


def test_a_body_without_the_words_starts_at_its_beginning() -> None:
    assert _shown(snippet_of("Only the title says it.", ["kidney"], last_is_prefix=False)) == (
        "Only the title says it."
    )
    assert snippet_of("", ["kidney"], last_is_prefix=False) == ""
