"""The sample site's core XML sitemaps, as WordPress 5.5+ serves them without its REST API.

``/wp-sitemap.xml`` (the index) and one page per taxonomy, listing the archive address of each
term that has posts, in id order: what the reader reads to tell a feed's tags from its
categories when the REST API is locked.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reader.sample.site import SITE, Site, Taxonomy

XML = "application/xml; charset=UTF-8"

TAXONOMIES: dict[str, Taxonomy] = {"category": "category", "post_tag": "post_tag"}
"""The sitemap subtypes served, by the name in their address."""

_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def index() -> str:
    """``/wp-sitemap.xml``: the sitemaps this site serves."""
    entries = "".join(
        f"<sitemap><loc>{SITE}/wp-sitemap-taxonomies-{name}-1.xml</loc></sitemap>"
        for name in TAXONOMIES
    )
    return (
        f'{_HEAD}<?xml-stylesheet type="text/xsl" href="{SITE}/wp-sitemap-index.xsl" ?>\n'
        f"<sitemapindex {_NS}>{entries}</sitemapindex>\n"
    )


def taxonomy_page(site: Site, taxonomy: str, page: int) -> str | None:
    """One page of a taxonomy's sitemap, or None past its end (WordPress answers 404)."""
    if taxonomy not in TAXONOMIES or page != 1:
        return None
    terms = [t for t in site.terms(TAXONOMIES[taxonomy]) if site.posts_in(t)]
    if not terms:
        return None
    entries = "".join(f"<url><loc>{escape(SITE + term.path)}</loc></url>" for term in terms)
    return (
        f'{_HEAD}<?xml-stylesheet type="text/xsl" href="{SITE}/wp-sitemap.xsl" ?>\n'
        f"<urlset {_NS}>{entries}</urlset>\n"
    )
