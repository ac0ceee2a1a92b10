"""``--demo`` keeps one sample source however many readers use it and whatever its port."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.store import Store
from reader.demo_site import PORT_FILE, demo_site


def _reader(data: Path, *words: str) -> int:
    return main(["--demo", "--data-dir", str(data), *words])


def _listed(capsys: pytest.CaptureFixture[str], data: Path) -> list[str]:
    capsys.readouterr()
    assert _reader(data, "list") == 0
    return capsys.readouterr().out.splitlines()


def _stored(data: Path) -> tuple[list[str], list[str]]:
    """The stored sources' addresses and every post's address."""
    store = Store.open_in(data / "demo")
    try:
        return [s.url for s in store.sources()], [p.url for p in store.posts_in(None)]
    finally:
        store.close()


def test_a_headless_command_beside_a_running_demo_uses_its_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert _reader(data, "sync") == 0
    posts = _listed(capsys, data)
    assert len(posts) == 48
    port = (data / "demo" / PORT_FILE).read_text()
    with demo_site(data / "demo") as running:  # "reader --demo" open in another terminal
        assert running.url.endswith(f":{port}/")
        assert _listed(capsys, data) == posts
        assert _reader(data, "sync") == 0
        assert _listed(capsys, data) == posts
        assert (data / "demo" / PORT_FILE).read_text() == port
        capsys.readouterr()
        assert _reader(data, "sources", "list") == 0
        shown = capsys.readouterr().out
        assert f"127.0.0.1:{port}" in shown and "48 posts" in shown
        assert "Kept in the store" not in shown and "stemcell.keck" not in shown
    sources, _ = _stored(data)
    assert sources == [running.url]


def test_the_demo_moves_to_a_new_port_with_its_posts_and_bookmarks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert _reader(data, "sync") == 0
    assert _reader(data, "bookmarks", "add", "5") == 0
    _reader(data, "show", "5")
    old = int((data / "demo" / PORT_FILE).read_text())
    posts = _listed(capsys, data)
    with socket.socket() as squatter:  # another program took the port meanwhile
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", old))
        squatter.listen()
        assert _listed(capsys, data) == posts
        new = int((data / "demo" / PORT_FILE).read_text())
        assert new != old
        assert _reader(data, "sync") == 0
        assert _listed(capsys, data) == posts
    sources, urls = _stored(data)
    assert sources == [f"http://127.0.0.1:{new}/"]
    assert all(f":{new}/" in url for url in urls)
    store = Store.open_in(data / "demo")
    try:
        (bookmark,) = store.bookmarks()
        assert f":{new}/" in bookmark.url
        post = store.post(5)
        assert post is not None and f":{old}/" not in post.content
        (source,) = store.sources()
        assert f"127.0.0.1:{old}" not in store.site_addresses(source.id)
    finally:
        store.close()
