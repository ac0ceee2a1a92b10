"""What the test WordPress is seeded with: the sample site's own posts, terms and authors."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

SEED_HOME = "http://wordpress.seed.invalid"
"""The address the seeded site is installed at; each served copy swaps in its own."""

TIMEZONE = "America/Los_Angeles"
"""The institute is in Los Angeles; its WordPress shows dates in that time zone."""

PERMALINKS = "/%year%/%monthnum%/%day%/%postname%/"

PAGES = (
    (
        "contact",
        "Contact",
        "<p>Write to the communications office at news@example.invalid, or call the front "
        "desk on weekdays.</p>\n<p>Visitors are welcome at the open house each spring.</p>",
    ),
    (
        "about",
        "About the institute",
        "<p>An invented institute, here so the reader has pages to meet as well as posts.</p>",
    ),
)
"""WordPress Pages (not posts): linked from nowhere in particular, as pages usually are."""


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _figure_files(body: str) -> list[str]:
    """The upload files a post's body draws (its figures), as the sample site serves them."""
    prefix = re.escape(f"{SEED_HOME}/wp-content/uploads/")
    return sorted(set(re.findall(prefix + r"(\d{4}/\d{2}/[\w.-]+\.png)", body)))


def seed_data() -> dict[str, Any]:
    """The sample site as the JSON ``php/seed.php`` files into WordPress."""
    from reader.sample import taxonomy
    from reader.sample.content import sample_posts

    every = sample_posts()
    terms = [
        {
            "taxonomy": term.taxonomy,
            "slug": term.slug,
            # WordPress escapes names itself when it stores them.
            "name": html.unescape(term.name),
            "description": term.description,
        }
        for term in taxonomy.all_terms()
    ]
    authors = [
        {"slug": a.slug, "name": a.name, "description": a.description} for a in taxonomy.AUTHORS
    ]
    posts: list[dict[str, Any]] = []
    for post in sorted(every, key=lambda p: p.id):
        image = None
        if post.image is not None:
            image = {
                "id": post.image.id,
                "file": post.image.file,
                "alt": post.image.alt,
                "caption": post.image.caption,
                "width": post.image.width,
                "height": post.image.height,
            }
        posts.append(
            {
                "id": post.id,
                "type": "post",
                "slug": post.slug,
                "title": post.title,
                "content": post.body_at(SEED_HOME),
                "excerpt": "",
                "author": post.author,
                "date_gmt": _gmt(post.published),
                "modified_gmt": _gmt(post.modified),
                "categories": list(post.categories),
                "tags": list(post.tags),
                "format": post.format,
                "image": image,
                "figures": _figure_files(post.body_at(SEED_HOME)),
            }
        )
    newest = max(post.published for post in every)
    next_id = max(post.id for post in every) + 20
    for offset, (slug, title, body) in enumerate(PAGES):
        posts.append(
            {
                "id": next_id + offset,
                "type": "page",
                "slug": slug,
                "title": title,
                "content": body,
                "excerpt": "",
                "author": "communications",
                "date_gmt": _gmt(newest),
                "modified_gmt": _gmt(newest),
                "categories": [],
                "tags": [],
                "format": "standard",
                "image": None,
            }
        )
    return {
        "title": html.unescape(taxonomy.TITLE),
        "tagline": taxonomy.TAGLINE,
        "home": SEED_HOME,
        "timezone": TIMEZONE,
        "permalinks": PERMALINKS,
        "terms": terms,
        "authors": authors,
        "posts": posts,
    }
