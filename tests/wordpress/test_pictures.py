"""Featured images as a real WordPress serves them: named by the API, fetched, drawn (issue 14)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx

from reader.core.image_decode import decode_picture
from reader.core.kept_images import CACHE_FOLDER, KEPT_FOLDER
from reader.core.models import LinkKind
from reader.core.post_images import post_images
from reader.render.article import render_post
from reader.render.figures import ImageBoard
from reader.sample.content import sample_site
from tests.cli.test_images_cli import _reader
from tests.support.reading import new_store, sync_site
from tests.support.sites import ReadSite

REPORT = "2024-impact-report-ten-years-of-building-tissue"


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


def test_a_bookmark_keeps_every_picture_of_the_post_for_offline_reading(
    own_site: ReadSite, tmp_path: Path
) -> None:
    """The 2024 impact report has a cover and a figure in its body: both go with the bookmark,
    the figure too though the site was down when it was bookmarked (fetched at the next sync),
    and both are drawn and exported with the site down and the cache gone."""
    data = tmp_path / "data"
    synced = _reader(own_site.url, data, "sync")
    assert synced.returncode == 0, synced.stderr
    store = new_store(data)
    try:
        summary = next(s for s in store.posts_in(None) if REPORT in s.url)
        post = store.post(summary.id)
        assert post is not None
        assert len(post_images(post)) == 2, f"{own_site.name}: {post_images(post)}"
    finally:
        store.close()
    own_site.stop()
    added = _reader(own_site.url, data, "bookmarks", "add", str(summary.id))
    assert added.returncode == 0, added.stderr
    assert "2 pictures could not be fetched" in added.stderr, added.stderr
    own_site.resume()
    again = _reader(own_site.url, data, "sync")
    assert again.returncode == 0, again.stderr
    assert "could not be fetched" not in again.stderr, again.stderr
    own_site.stop()
    assert len(list((data / KEPT_FOLDER).iterdir())) == 2
    shutil.rmtree(data / CACHE_FOLDER, ignore_errors=True)
    shown = _reader(own_site.url, data, "show", str(summary.id), "--images", "--width", "60")
    assert shown.returncode == 0, shown.stderr
    assert "▀" in shown.stdout and "[image:" not in shown.stdout
    exported = _reader(own_site.url, data, "bookmarks", "export", "--format", "html")
    assert exported.returncode == 0, exported.stderr
    assert len(re.findall(r"<img src=[\"']data:image/[a-z]+;base64,", exported.stdout)) == 2
