"""What the reader reads: a WordPress site or a single feed."""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.urls import same_site, site_root


@dataclass(frozen=True)
class Source:
    """What the reader reads: a WordPress site (feed, REST API and pages) or one feed."""

    url: str
    is_site: bool = True

    @classmethod
    def site(cls, url: str) -> Source:
        """A WordPress site from its root URL."""
        return cls(site_root(url), True)

    @classmethod
    def feed(cls, url_or_path: str) -> Source:
        """A single RSS/Atom feed, by URL or local path."""
        return cls(url_or_path, False)

    @property
    def feed_url(self) -> str:
        """Where the main feed is."""
        return self.url + "feed/" if self.is_site else self.url

    @property
    def is_file(self) -> bool:
        """True for a feed read from a local file."""
        return not self.is_site and "://" not in self.url

    def owns(self, url: str) -> bool:
        """True when ``url`` is on this source's site, so it opens inside the reader."""
        return same_site(url, self.url) if not self.is_file else False
