"""RSS 2.0 feeds shaped like WordPress's ``/feed/``: ten items a page, newest first.

Categories and tags are mixed in ``<category>`` elements, as WordPress mixes them; items of
excerpt-only posts carry no ``content:encoded``.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.sample import markup
from reader.sample.site import SITE, SamplePost, Site

ITEMS_PER_PAGE = 10
"""WordPress's default ``posts_per_rss``."""


def page_count(total: int) -> int:
    """How many feed pages ``total`` posts fill (at least one, as an empty feed still exists)."""
    return max(1, -(-total // ITEMS_PER_PAGE))


def render_feed(
    site: Site,
    posts: Sequence[SamplePost],
    *,
    page: int,
    self_path: str,
    channel_path: str,
    channel_title: str,
    description: str,
) -> str:
    """One page of a feed (the caller has checked the page exists), with placeholders."""
    items = posts[(page - 1) * ITEMS_PER_PAGE : page * ITEMS_PER_PAGE]
    built = max((post.modified for post in posts), default=site.changed_at)
    self_link = SITE + self_path + (f"?paged={page}" if page > 1 else "")
    head = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{channel_title}</title>
	<atom:link href="{self_link}" rel="self" type="application/rss+xml" />
	<link>{SITE}{channel_path}</link>
	<description>{description}</description>
	<lastBuildDate>{markup.rfc822(built)}</lastBuildDate>
	<language>{site.language}</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.8.3</generator>
"""
    body = "".join(_item(site, post) for post in items)
    return head + body + "\t</channel>\n</rss>\n"


def _item(site: Site, post: SamplePost) -> str:
    categories, tags = site.post_terms(post)
    # WordPress lists categories by name, then tags by name, all alike (its collation ignores
    # case), and names them unescaped inside CDATA (``Eye & Vision``).
    names = [t.plain_name for t in sorted(categories, key=lambda t: t.plain_name.lower())]
    names += [t.plain_name for t in sorted(tags, key=lambda t: t.plain_name.lower())]
    category_lines = "".join(f"\t\t<category>{markup.cdata(name)}</category>\n" for name in names)
    content = (
        ""
        if post.excerpt_only
        else f"\t\t\t\t\t\t\t\t\t\t<content:encoded>{markup.cdata(post.body)}</content:encoded>\n"
    )
    return f"""	<item>
		<title>{post.rendered_title}</title>
		<link>{post.permalink}</link>
		<dc:creator>{markup.cdata(site.author_of(post).name)}</dc:creator>
		<pubDate>{markup.rfc822(post.published)}</pubDate>
{category_lines}		<guid isPermaLink="false">{post.shortlink}</guid>

					<description>{markup.cdata(markup.feed_excerpt(post.body))}</description>
{content}
	</item>
"""
