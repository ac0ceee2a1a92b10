"""The text of a post's HTML for the search index: what FTS5 tokenises and snippets quote.

Every stored body is turned into text once (a cold sync of 1,000 posts: 3.7 MB of HTML), and
the first way of doing it, three regular expressions and a split into words, was about a
third of that sync's instructions. Each step here gives exactly what that one gave, in fewer
passes over the text (tests/core/test_search_text.py holds it to the first way).
"""

from __future__ import annotations

import re

from reader.core.text import strip_controls

# Tags that start or end a line of text; a space goes before each so words on either side stay
# apart. Inline tags (a, em, strong...) get none: "<em>everything</em>." reads "everything.",
# which search snippets show.
_LINE_TAG = re.compile(
    r"<(?=/?(?:p|div|br|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|figure|figcaption|table|caption|tr|"
    r"td|th|pre|hr|img|section|article|header|footer|aside|main|iframe|video|audio)[\s/>])",
    re.IGNORECASE,
)
# The same names for ASCII markup, grouped by their first letter, which is a class of its two
# cases: the regex engine skips an alternative whose class does not hold the letter in one
# test, where the pattern above tries each of its 30 names in turn at every "<" (~1,900
# instructions a tag). In ASCII, a letter's two cases are all that IGNORECASE matches (in
# other text it also takes "ſ" for "s" and "K" for "k"). One substitution in C: finding the tags
# in a lower-case copy and joining the pieces in Python cost a third more (the 1,000 bodies of
# the bench's site: 204 M instructions, now 150 M).
_ASCII_LINE_TAG = re.compile(
    r"<(?=/?(?:[aA](?i:rticle|side|udio)|[bB](?i:r|lockquote)|[cC](?i:aption)|[dD](?i:iv|[dlt])"
    r"|[fF](?i:ig(?:ure|caption)|ooter)|[hH](?i:[1-6r]|eader)|[iI](?i:mg|frame)|[lL](?i:i)"
    r"|[mM](?i:ain)|[oO](?i:l)|[pP](?i:re)?|[sS](?i:ection)|[tT](?i:able|[dhr])|[uU](?i:l)"
    r"|[vV](?i:ideo))[\s/>])"
)
# What the HTML parser makes an img element of: <img>, and <image>, which HTML reads as img.
_PICTURE_TAG = re.compile(r"<im(?:g|age)", re.IGNORECASE)
# Two spaces or more. Written out so that the regex engine looks for the two spaces together:
# " +" stops at every single space between words, a tenth of the text.
_SPACE_RUN = re.compile("   *")


def plain_text(html: str) -> str:
    """Text of HTML for the search index, its whitespace folded to single spaces."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    from selectolax.lexbor import LexborHTMLParser

    in_ascii = html.isascii()
    spaced = (_ASCII_LINE_TAG if in_ascii else _LINE_TAG).sub(" <", html)
    pictures = _PICTURE_TAG.search(html) is not None
    tree = LexborHTMLParser(spaced)
    # WordPress feeds carry emoji as pictures whose alt text is the emoji: the text has it.
    # Only an img (or image) start tag makes a picture; most bodies have none, and the
    # selector costs more than the look for one.
    if pictures:
        for emoji in tree.css("img.wp-smiley, img.emoji"):
            emoji.replace_with(emoji.attributes.get("alt") or "")
    # Decoding entities can make control characters (&#27; is ESC): clean after, not before.
    return _folded(tree.text(separator=""))


def _folded(text: str) -> str:
    """``" ".join(strip_controls(text).split())``, without a string made for every word."""
    spaced = text.replace("\n", " ")
    if "\t" in spaced:
        spaced = spaced.replace("\t", " ")
    if "\xa0" in spaced:
        spaced = spaced.replace("\xa0", " ")
    # Printable text has no control character (nothing for strip_controls to take: C0, C1
    # and the bidi controls are all "Other") and no whitespace but the space ("Separator"):
    # its words are what is between runs of spaces. Anything else is folded as before.
    if not spaced.isprintable():
        return " ".join(strip_controls(text).split())
    return _SPACE_RUN.sub(" ", spaced).strip(" ")
