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


def test_curly_quotes_keep_the_quick_path_and_other_letters_the_folding_one() -> None:
    # Words all ASCII (quotes and dashes are not words): the first match is found by one
    # case-blind pattern; a letter outside ASCII may fold to the word, so each word is folded.
    quoted = "“Nothing” — here: then the Kidney’s cells, " + "w " * 20
    assert _shown(snippet_of(quoted, ["kidney"], last_is_prefix=False)).startswith(
        "…here: then the [Kidney]’s cells"
    )
    accented = "a b c d e f g h i j k l m n o p Kídney ok"
    assert "[Kídney]" in _shown(snippet_of(accented, ["kidney"], last_is_prefix=False))
    assert "[Kidneys]" in _shown(
        snippet_of("x " * 30 + "Kidneys yes", ["kidn"], last_is_prefix=True)
    )


def test_only_the_words_near_the_match_are_read_but_the_cut_is_the_same() -> None:
    # The words before a match are looked for in a stretch of text before it, made longer
    # until it holds enough of them: long words, and a stretch that begins inside one.
    long_words = " ".join(f"{chr(97 + i) * 70}" for i in range(5))
    after = " ".join(f"w{i}" for i in range(20))
    got = _shown(snippet_of(f"{long_words} kidney {after}", ["kidney"], last_is_prefix=False))
    before = " ".join(chr(97 + i) * 70 for i in range(2, 5))
    assert got == f"…{before} [kidney] w0 w1 w2 w3 w4 w5 w6 w7…"
    # Near the end, more words before it are shown, as many as the snippet holds.
    tail = " ".join(f"w{i}" for i in range(40)) + " kidney end."
    got = _shown(snippet_of(tail, ["kidney"], last_is_prefix=False, size=6))
    assert got == "…w36 w37 w38 w39 [kidney] end."
    # Text cut after the snippet says so; the first words need no mark before them.
    head = "kidney " + " ".join(f"w{i}" for i in range(40))
    assert _shown(snippet_of(head, ["kidney"], last_is_prefix=False, size=3)) == "[kidney] w0 w1…"
