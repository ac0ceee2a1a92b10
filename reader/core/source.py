"""What the reader reads: a WordPress site or a single feed, each kept apart in the store."""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from urllib.parse import urlsplit

from reader.core.records import record
from reader.core.urls import host_of, same_site, site_root


@record
class Source:
    """What the reader reads: a WordPress site (feed, REST API and pages) or one feed."""

    url: str
    """The site's root (with a trailing slash), the feed's address, or a feed file's path."""
    is_site: bool = True
    """True for a WordPress site, False for a plain RSS/Atom feed."""
    name: str = ""
    """What the user calls it (``reader sync NAME``); empty until the config gives one."""
    sections: tuple[str, ...] | None = None
    """Categories shown as its sections, in order; None uses the config's ``sections``."""
    group: str = ""
    """The folder it was filed under in an OPML file (or the config), shown in listings."""
    also_called: str = field(default="", compare=False)
    """The name the reader made for it before its feed's title named it (``host-2``), which
    ``reader sync NAME`` still takes; not part of who the source is."""

    @classmethod
    def site(cls, url: str, *, name: str = "", sections: tuple[str, ...] | None = None) -> Source:
        """A WordPress site from its root URL."""
        return cls(site_root(url), True, name, sections)

    @classmethod
    def feed(
        cls, url_or_path: str, *, name: str = "", sections: tuple[str, ...] | None = None
    ) -> Source:
        """A single RSS/Atom feed, by URL or local path."""
        return cls(url_or_path, False, name, sections)

    @property
    def feed_url(self) -> str:
        """Where the main feed is."""
        return self.url + "feed/" if self.is_site else self.url

    @property
    def is_file(self) -> bool:
        """True for a feed read from a local file."""
        return not self.is_site and "://" not in self.url

    @property
    def key(self) -> str:
        """Who this source is, whatever the spelling: the same key is the same rows."""
        return source_key(self.url, is_site=self.is_site)

    @property
    def label(self) -> str:
        """The name to show: the given one, else one made from the address."""
        return self.name or default_name(self.url, is_site=self.is_site)

    @property
    def name_is_made(self) -> bool:
        """True when its name is one the reader made to tell it from another source on its
        host (``host-2``), not one the user gave: its feed's title names it better."""
        made = default_name(self.url, is_site=self.is_site)
        return bool(re.fullmatch(re.escape(made) + r"-[0-9]+", self.name))

    def owns(self, url: str) -> bool:
        """True when ``url`` is on this source's site, so it opens inside the reader."""
        return same_site(url, self.url) if not self.is_file else False


def source_key(url: str, *, is_site: bool) -> str:
    """The store's key of a source: scheme, ``www.`` and a trailing slash do not matter."""
    if not is_site and "://" not in url:
        return "file:" + str(Path(url).expanduser().resolve())
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ("site:" if is_site else "feed:") + url.strip()
    where = host_of(url) + (f":{port}" if port not in (None, 80, 443) else "")
    if is_site:
        return f"site:{where}{urlsplit(site_root(url.strip())).path}"
    # /feed and /feed/ are one feed on every server that matters (WordPress redirects one to
    # the other); a query is part of the address.
    path = parts.path.rstrip("/") or "/"
    return f"feed:{where}{path}" + (f"?{parts.query}" if parts.query else "")


def default_name(url: str, *, is_site: bool) -> str:
    """A name made from the address: the host without ``www.``, or a feed file's name."""
    if not is_site and "://" not in url:
        return Path(url).stem or "feed"
    host = host_of(url)
    try:
        port = urlsplit(url).port
    except ValueError:
        port = None
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    return host or url
