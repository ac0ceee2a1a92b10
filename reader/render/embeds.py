"""Embedded players (iframe, video, audio, embed, object): where they point and what they are.

A terminal cannot play them, so the article shows a labelled, numbered link instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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
