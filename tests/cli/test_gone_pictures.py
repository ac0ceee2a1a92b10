"""A picture gone for good (404, 410) is remembered in the cache's index and not asked for again."""

from __future__ import annotations

import json
from pathlib import Path

from reader.core.kept_images import CACHE_FOLDER
from reader.core.models import IncomingPost
from reader.core.refusals import REFUSED_FOR_DAYS
from reader.core.source import Source
from reader.core.store import Store
from reader.sample.server import SampleServer
from tests.cli.test_images_cli import _reader
from tests.support.app_fixtures import SECTIONS
from tests.support.pictures import PictureServer, picture_server  # noqa: F401  (a fixture)


def test_a_gone_picture_is_said_once_and_not_asked_for_again(
    picture_server: PictureServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with SampleServer() as site:
        assert _reader(site, data, "sync").returncode == 0
        store = Store.open_in(data, section_names=SECTIONS)
        try:
            body = (
                f'<p>Two pictures.</p><img src="{picture_server.url("/missing.png")}" alt="gone">'
                f'<img src="{picture_server.url("/good.png")}" alt="here">'
            )
            store.upsert_posts(
                [IncomingPost(url=picture_server.url("/a-post/"), title="Pictures", content=body)],
                source=Source.site(picture_server.url("/")),
            )
            post_id = next(s.id for s in store.posts_in(None) if s.title == "Pictures")
        finally:
            store.close()
        before = picture_server.requests["/missing.png"]
        first = _reader(site, data, "sync", "--images")
        asked = picture_server.requests["/missing.png"] - before
        assert asked == 1, first.stdout
        line = next(line for line in first.stdout.splitlines() if "kept" in line)
        assert line.endswith(
            f"0 could not be fetched, 1 gone from their servers (not asked for again for"
            f" {REFUSED_FOR_DAYS} days)"
        ), line
        # Kept in the cache's index, with the time.
        index = json.loads((data / CACHE_FOLDER / "gone.json").read_text(encoding="utf-8"))
        assert len(index) == 1 and all(isinstance(at, float) for at in index.values())

        # Neither the next sync nor bookmarking the post asks again, or says it again.
        again = _reader(site, data, "sync", "--images")
        assert "gone" not in again.stdout and "0 could not be fetched" in again.stdout
        added = _reader(site, data, "bookmarks", "add", str(post_id))
        assert added.returncode == 0, added.stderr
        assert "gone" not in added.stderr and "could not be fetched" not in added.stderr
        assert "(with 1 picture)" in added.stdout
        assert picture_server.requests["/missing.png"] - before == 1
