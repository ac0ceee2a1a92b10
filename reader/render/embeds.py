"""Embedded players (iframe, video, audio, embed, object): where they point and what they are.

A terminal cannot play them, so the article shows a labelled, numbered link instead.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborNode

EMBED_TAGS = frozenset({"iframe", "video", "audio", "embed", "object"})

_VIDEO_HOSTS = (
    "youtube", "youtu.be", "vimeo", "wistia", "brightcove", "kaltura", "jwplayer",
    "dailymotion", "panopto", "ted.com", "vidyard",
)  # fmt: skip
_AUDIO_HOSTS = ("soundcloud", "spotify", "podcasts.apple", "buzzsprout", "libsyn", "anchor.fm")


def embed_source(node: LexborNode) -> str:
    """The address the player would load (as written in the page), or ""."""
    tag = node.tag
    attributes = node.attributes
    if tag == "object":
        return attributes.get("data") or ""
    source = attributes.get("src") or ""
    if not source or source == "about:blank":
        # Lazy-loading plugins keep the real address aside until the player scrolls into view.
        source = attributes.get("data-src") or attributes.get("data-lazy-src") or source
    if not source and tag in ("video", "audio"):
        inner = node.css_first("source[src]")
        source = (inner.attributes.get("src") or "") if inner is not None else ""
    return "" if source == "about:blank" else source


_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_START = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")


def watch_page(url: str) -> str:
    """Where a reader watches an embedded video: YouTube's and Vimeo's players link to the page.

    ``youtube.com/embed/ID`` (and ``youtube-nocookie.com``) becomes ``youtube.com/watch?v=ID``,
    keeping a start time; ``player.vimeo.com/video/ID`` becomes ``vimeo.com/ID``. Any other
    address is returned as it is.
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return url
    if host in ("youtube.com", "youtube-nocookie.com", "m.youtube.com"):
        words = parts.path.split("/")
        if len(words) >= 3 and words[1] in ("embed", "v") and _VIDEO_ID.fullmatch(words[2]):
            watch = f"https://www.youtube.com/watch?v={words[2]}"
            start = parse_qs(parts.query).get("start", [""])[0]
            return watch + (f"&t={start}s" if start.isdigit() else "")
    if host == "player.vimeo.com":
        words = parts.path.split("/")
        if len(words) >= 3 and words[1] == "video" and words[2].isdigit():
            return f"https://vimeo.com/{words[2]}"
    return url


def embed_kind(tag: str, host: str) -> str:
    """ "Video", "Audio" or, for maps, forms and the like, "Embed"."""
    if tag == "audio" or any(name in host for name in _AUDIO_HOSTS):
        return "Audio"
    if tag == "video" or any(name in host for name in _VIDEO_HOSTS):
        return "Video"
    return "Embed"


def host_of(url: str) -> str:
    """The host of ``url`` without a leading "www.", or "" when it has none."""
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""
