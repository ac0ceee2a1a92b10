"""A feed's Media RSS pictures, over real HTTP on 127.0.0.1: synced, kept and drawn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reader.core.models import LinkKind
from reader.core.store import Store
from tests.support.pictures import MEDIA_FEED, PictureServer, picture_server

__all__ = ["picture_server"]

ROOT = Path(__file__).resolve().parents[2]


def _reader(feed: str, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM")}
    environment.update(TERM="xterm-256color")
    return subprocess.run(
        [sys.executable, "-m", "reader", "--feed", feed, "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
    )


def test_a_feeds_pictures_are_synced_kept_and_drawn(
    picture_server: PictureServer, tmp_path: Path
) -> None:
    feed = picture_server.url(MEDIA_FEED)
    synced = _reader(feed, tmp_path, "sync", "--images")
    assert synced.returncode == 0, synced.stderr
    # Five posts name a picture of their own, one shows its picture in the body; none of the
    # hostile addresses is fetched.
    assert "6 images kept, 0 could not be fetched" in synced.stdout
    store = Store.open_in(tmp_path)
    try:
        by_title = {s.title: s.id for s in store.posts_in(None)}
        post = store.post(by_title["Sized media content"])
        assert post is not None
        featured = post.link(LinkKind.FEATURED)
        assert featured is not None and featured.url == picture_server.url("/good.png?w=700")
        # The picture's own description is its alt text (not another size's), and the excerpt
        # stays the item's own (feedparser took the description for it, or for the body).
        assert featured.text == "A red square with a white corner"
        assert post.excerpt == "Two sizes of one picture." and not post.content
        grouped = store.post(by_title["Grouped with a video"])
        assert grouped is not None and grouped.title == "Grouped with a video"
        grouped_picture = grouped.link(LinkKind.FEATURED)
        assert grouped_picture is not None
        assert grouped_picture.text == "A picture beside its video"
        thumbnail = store.post(by_title["Thumbnail only"])
        assert thumbnail is not None
        thumbnail_picture = thumbnail.link(LinkKind.FEATURED)
        assert thumbnail_picture is not None and thumbnail_picture.text == ""
        hostile = store.post(by_title["Hostile addresses"])
        assert hostile is not None and hostile.link(LinkKind.FEATURED) is None
    finally:
        store.close()
    shown = _reader(feed, tmp_path, "show", str(post.id), "--images", "--width", "60")
    assert shown.returncode == 0, shown.stderr
    # The picture (red, a white corner) drawn in 256 colours under the header.
    before_body = shown.stdout.partition("Two sizes of one picture.")[0]
    assert "\x1b[48;5;160m" in before_body and "\x1b[48;5;231m" in before_body


def test_show_says_a_feed_posts_excerpt_is_all_the_feed_has(
    picture_server: PictureServer, tmp_path: Path
) -> None:
    feed = picture_server.url(MEDIA_FEED)
    assert _reader(feed, tmp_path, "sync").returncode == 0
    store = Store.open_in(tmp_path)
    try:
        post_id = next(s.id for s in store.posts_in(None) if s.title == "Sized media content")
    finally:
        store.close()
    shown = _reader(feed, tmp_path, "show", str(post_id), "--width", "100")
    assert shown.returncode == 0, shown.stderr
    # A feed's post has no page to fetch: "not fetched yet" promised one.
    assert "Only the excerpt is in the feed; the whole article is at http" in shown.stdout
    assert "fetched yet" not in shown.stdout
