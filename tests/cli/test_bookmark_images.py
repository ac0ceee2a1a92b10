"""A bookmark keeps its pictures: offline after the cache is gone, and inside the HTML export."""

from __future__ import annotations

import base64
import io
import json
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


def test_a_bookmark_added_offline_gets_its_pictures_at_the_next_sync(tmp_path: Path) -> None:
    server = SampleServer()
    url = server.start()
    data = tmp_path / "data"
    try:
        synced = _reader(url, data, "sync")
        assert synced.returncode == 0, synced.stderr
        post_id = _post_id(data)
        server.stop()
        # Offline, no picture cached: bookmarked all the same, and told what is missing.
        added = _reader(url, data, "bookmarks", "add", str(post_id))
        assert added.returncode == 0, added.stderr
        assert "Bookmarked:" in added.stdout
        assert "2 pictures could not be fetched for offline reading" in added.stderr
        assert not (data / KEPT_FOLDER).is_dir() or not list((data / KEPT_FOLDER).iterdir())

        # Online again: the next sync fetches them.
        server.start()
        again = _reader(url, data, "sync")
        assert again.returncode == 0, again.stderr
        assert "could not be fetched" not in again.stderr
        assert len(list((data / KEPT_FOLDER).iterdir())) == 2
    finally:
        server.stop()
    shutil.rmtree(data / CACHE_FOLDER, ignore_errors=True)
    exported = _reader(url, data, "bookmarks", "export", "--format", "html")
    assert exported.returncode == 0, exported.stderr
    assert len(re.findall(r"<img src=[\"']data:image/", exported.stdout)) == 2


def test_an_imported_bookmark_keeps_its_pictures(tmp_path: Path) -> None:
    server = SampleServer()
    url = server.start()
    data, other = tmp_path / "data", tmp_path / "other"
    try:
        assert _reader(url, data, "sync").returncode == 0
        added = _reader(url, data, "bookmarks", "add", str(_post_id(data)))
        assert added.returncode == 0, added.stderr
        export = tmp_path / "saved.json"
        exported = _reader(url, data, "bookmarks", "export", "-o", str(export))
        assert exported.returncode == 0, exported.stderr
        # Another data folder, which never read the site: the import fetches the pictures.
        imported = _reader(url, other, "bookmarks", "import", str(export))
        assert imported.returncode == 0, imported.stderr
    finally:
        server.stop()
    assert "Imported 1 new bookmark" in imported.stdout
    assert len(list((other / KEPT_FOLDER).iterdir())) == 2


def test_a_json_export_carries_the_pictures_to_a_fresh_folder_offline(tmp_path: Path) -> None:
    # Moved to another machine with the site out of reach, an import of the JSON export (the
    # only one that imports) had no pictures: "6 pictures could not be fetched".
    server = SampleServer()
    url = server.start()
    data, other = tmp_path / "data", tmp_path / "other"
    export = tmp_path / "saved.json"
    try:
        assert _reader(url, data, "sync").returncode == 0
        post_id = _post_id(data)
        added = _reader(url, data, "bookmarks", "add", str(post_id))
        assert added.returncode == 0, added.stderr
        exported = _reader(url, data, "bookmarks", "export", "-o", str(export))
        assert exported.returncode == 0, exported.stderr
    finally:
        server.stop()
    imported = _reader(url, other, "bookmarks", "import", str(export))
    assert imported.returncode == 0, imported.stderr
    assert "could not be fetched" not in imported.stderr
    assert len(list((other / KEPT_FOLDER).iterdir())) == 2
    page = next(
        line.split()[-1]
        for line in _reader(url, other, "bookmarks", "list").stdout.splitlines()
        if "http" in line
    )
    shown = _reader(url, other, "show", page, "--images", "--width", "60")
    assert shown.returncode == 0, shown.stderr
    assert "▀" in shown.stdout and "[image:" not in shown.stdout


def test_an_import_keeps_only_the_pictures_its_bookmarks_show(tmp_path: Path) -> None:
    # The file is untrusted: a picture under an address no imported post shows is not kept,
    # nor one that is not base64.
    server = SampleServer()
    url = server.start()
    data, other = tmp_path / "data", tmp_path / "other"
    export = tmp_path / "saved.json"
    try:
        assert _reader(url, data, "sync").returncode == 0
        assert _reader(url, data, "bookmarks", "add", str(_post_id(data))).returncode == 0
        assert _reader(url, data, "bookmarks", "export", "-o", str(export)).returncode == 0
    finally:
        server.stop()
    document = json.loads(export.read_text(encoding="utf-8"))
    carried = document["bookmarks"][0]["pictures"]
    first, second = sorted(carried)
    carried["http://elsewhere.example/planted.png"] = carried.pop(first)
    carried[second] = "not base64 at all!"
    export.write_text(json.dumps(document), encoding="utf-8")
    imported = _reader(url, other, "bookmarks", "import", str(export))
    assert imported.returncode == 0, imported.stderr
    assert not (other / KEPT_FOLDER).is_dir() or list((other / KEPT_FOLDER).iterdir()) == []
