"""The bundled sample site: every hand-written post, with ids and links settled.

The posts are data, one file each in ``reader/sample/posts/`` (the format is described in
:mod:`reader.sample.draft`); this gives them ids in date order and renders their bodies.
:func:`sample_posts` is the content on its own, for anything outside the sample server that
wants it (seeding a real WordPress, say); :func:`sample_site` wraps it in a fresh
:class:`~reader.sample.site.Site` each call (tests change theirs), in a few milliseconds.
"""

from __future__ import annotations

from reader.sample import taxonomy
from reader.sample.draft import Draft, read_drafts, render_body
from reader.sample.site import Image, SamplePost, Site

FIRST_ID = 112
"""The id of the oldest post; later ones follow in steps that leave room for attachments."""
ID_STEP = 9


def drafts() -> list[Draft]:
    """Every hand-written post as written, oldest first."""
    return read_drafts()


def sample_posts() -> list[SamplePost]:
    """Every hand-written post, oldest first, as the sample site serves it.

    Each has its ``id``, ``slug``, typed ``title`` (``rendered_title`` is what WordPress
    prints), ``author`` slug, ``published`` and ``modified`` (UTC), ``categories`` (section
    slug, then topic slugs; names in :mod:`reader.sample.taxonomy`), ``tags``, ``body`` HTML as
    WordPress renders it (``body_at(base)`` fills in the site's address), ``excerpt``,
    ``excerpt_only`` and the featured ``image``.
    """
    written = drafts()
    ids = {draft.slug: FIRST_ID + ID_STEP * index for index, draft in enumerate(written)}
    paths = {draft.slug: draft.path for draft in written}
    return [_post(draft, ids[draft.slug], paths, ids) for draft in written]


def sample_site() -> Site:
    """A new copy of the sample site, ready to serve."""
    return Site(
        title=taxonomy.TITLE,
        tagline=taxonomy.TAGLINE,
        terms=taxonomy.all_terms(),
        authors=taxonomy.AUTHORS,
        posts=sample_posts(),
    )


def _post(draft: Draft, post_id: int, paths: dict[str, str], ids: dict[str, int]) -> SamplePost:
    image = None
    if draft.image is not None:
        name, alt = draft.image
        # WordPress gives an upload the next id after the post it was uploaded to.
        image = Image(id=post_id + 1, file=f"{draft.published:%Y/%m}/{name}", alt=alt)
    return SamplePost(
        id=post_id,
        slug=draft.slug,
        title=draft.title,
        author=draft.author,
        published=draft.published,
        modified=draft.modified,
        section=draft.section,
        topics=draft.topics,
        tags=draft.tags,
        body=render_body(draft, paths, ids),
        excerpt_only=draft.excerpt_only,
        image=image,
        format="video" if draft.section == "videos" else "standard",
    )
