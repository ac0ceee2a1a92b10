"""A bookmark keeps its pictures: offline after the cache is gone, and inside the HTML export."""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

from PIL import Image

from reader.core.kept_images import CACHE_FOLDER, KEPT_FOLDER
from reader.core.store import Store
from reader.sample.server import SampleServer
from tests.cli.test_images_cli import SLUG, _reader
from tests.support.app_fixtures import SECTIONS


def _post_id(data: Path) -> int:
    store = Store.open_in(data, section_names=SECTIONS)
    try:
        return next(s.id for s in store.posts_in(None) if SLUG in s.url)
    finally:
        store.close()


def test_bookmarked_pictures_show_offline_and_travel_in_the_html_export(tmp_path: Path) -> None:
    server = SampleServer()
    url = server.start()
    data = tmp_path / "data"
    try:
        synced = _reader(url, data, "sync")
        assert synced.returncode == 0, synced.stderr
        post_id = _post_id(data)
        added = _reader(url, data, "bookmarks", "add", str(post_id))
    finally:
        server.stop()
    count = 2  # the featured picture and one figure
    assert added.returncode == 0, added.stderr
    assert f"(with {count} pictures)" in added.stdout
    assert len(list((data / KEPT_FOLDER).iterdir())) == count

    # The cache is gone and the site is down: the bookmark still draws its pictures.
    shutil.rmtree(data / CACHE_FOLDER, ignore_errors=True)
    shown = _reader(url, data, "show", str(post_id), "--images", "--width", "60")
    assert shown.returncode == 0, shown.stderr
    assert "▀" in shown.stdout and "[image:" not in shown.stdout

    exported = _reader(url, data, "bookmarks", "export", "--format", "html")
    assert exported.returncode == 0, exported.stderr
    sources = re.findall(
        r"<img src=[\"']data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)[\"']", exported.stdout
    )
    assert len(sources) == count
    for mime, encoded in sources:
        picture = Image.open(io.BytesIO(base64.b64decode(encoded)))
        assert picture.format.lower() == mime.split("/")[1]
        assert picture.width <= 800
    assert "<script" not in exported.stdout

    removed = _reader(url, data, "bookmarks", "remove", str(post_id))
    assert removed.returncode == 0, removed.stderr
    assert list((data / KEPT_FOLDER).iterdir()) == []
