"""Featured images as a real WordPress serves them: named by the API, fetched, drawn (issue 14)."""

from __future__ import annotations

from pathlib import Path

import httpx

from reader.core.image_decode import decode_picture
from reader.core.models import LinkKind
from reader.render.article import render_post
from reader.render.figures import ImageBoard
from reader.sample.content import sample_site
from tests.support.reading import new_store, sync_site
from tests.support.sites import ReadSite


def test_every_featured_image_is_stored_fetched_and_placed_under_the_header(
    read_site: ReadSite, tmp_path: Path
) -> None:
    store = new_store(tmp_path / "data")
    assert sync_site(store, read_site.url).ok
    seeded = {post.slug: post.image for post in sample_site().posts() if post.image is not None}
    assert seeded, "the sample site has no featured images, so this test sees nothing"
    # Told apart by slug: titles come back typographic ("curly" quotes), as WordPress shows them.
    stored = {p.url.rstrip("/").rsplit("/", 1)[-1]: store.post(p.id) for p in store.posts_in()}
    for slug, image in seeded.items():
        post = stored.get(slug)
        assert post is not None, f"{read_site.name}: {slug!r} not stored"
        featured = post.link(LinkKind.FEATURED)
        assert featured is not None, f"{read_site.name}: no featured image for {slug!r}"
        assert featured.text == image.alt
        # The address the site gave answers with the picture itself, which the reader decodes.
        answer = httpx.get(featured.url, timeout=30)
        assert answer.status_code == 200, featured.url
        picture = decode_picture(answer.content, 40, 20)
        assert 0 < picture.width <= 40 and 0 < picture.height <= 20
        # Drawn first, right under the header and the post navigation, before the body.
        article = render_post(post, board=ImageBoard())
        assert article.images and article.images[0].url == featured.url
