"""The numbered links of an article: where each one points and whether the reader may follow it."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from rich.style import Style

from reader.core.records import record
from reader.core.text import clean_url

#: Only these schemes are ever opened; anything else is shown and never followed.
FOLLOWABLE_SCHEMES = frozenset({"http", "https"})

# A data: URL can carry a whole picture; it is never followed, so a short stand-in is enough.
_LONGEST_UNFOLLOWABLE = 200


@record
class LinkTarget:
    """One numbered link in the body of an article."""

    number: int
    """1-based, in reading order."""
    url: str
    """Absolute (resolved against the post's URL) and cleaned."""
    text: str
    """The cleaned text of the link, or "" when it has none."""
    followable: bool
    """True only for http and https; other schemes are shown, never followed."""

    @property
    def style(self) -> Style:
        """The style every segment of this link carries.

        The meta lets the UI find link N by scanning segments; the OSC 8 hyperlink is only
        given to links the reader would follow itself.
        """
        return Style(link=self.url if self.followable else None, meta={"link": self.number})


def decoded_url(raw: str) -> str:
    """Clean a URL taken from a parsed attribute, whose entities are already decoded.

    ``clean_url`` decodes entities, which would turn a decoded ``&reg=1`` query into
    ``®=1``; escaping every ampersand first makes that decoding a no-op.
    """
    return clean_url(raw.replace("&", "&amp;"))


def resolve_link(href: str, base_url: str) -> tuple[str, bool] | None:
    """The absolute URL of ``href`` and whether it may be followed, or None for no link.

    ``href`` must already be cleaned. An empty href or a bare ``#`` points back at the page
    being read, so it gets no number; ``#part`` is a link to that part of the article.
    """
    if not href or href == "#":
        return None
    # Most links are already absolute; joining them would only cost time.
    absolute = href[:8].lower().startswith(("http://", "https://"))
    try:
        url = href if absolute or not base_url else urljoin(base_url, href)
        parts = urlsplit(url)
    except ValueError:
        # A malformed address (an unclosed IPv6 bracket, say) is still shown, never followed.
        return href, False
    followable = parts.scheme.lower() in FOLLOWABLE_SCHEMES and bool(parts.netloc)
    if not followable and len(url) > _LONGEST_UNFOLLOWABLE:
        url = url[:_LONGEST_UNFOLLOWABLE] + "…"
    return url, followable
