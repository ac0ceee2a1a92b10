"""``reader open URL|POST`` as another program would run it: the reader starts on that article."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.store import Store
from reader.sample.server import SampleServer
from tests.support.app_fixtures import SECTIONS
from tests.support.pty_screen import PtyApp

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parents[2]


def _open(site: str, data: Path, spec: str, cols: int = 120, rows: int = 40) -> PtyApp:
    argv = [sys.executable, "-m", "reader", "--site", site, "--data-dir", str(data)]
    return PtyApp([*argv, "open", spec, "--no-refresh"], cols=cols, rows=rows)


def test_open_an_address_never_stored_fetches_it_and_starts_on_it(tmp_path: Path) -> None:
    server = SampleServer()
    server.start()
    try:
        post = next(p for p in server.site.posts() if p.section == "events")
        url = server.url.rstrip("/") + post.path
        data = tmp_path / "data"
        with _open(server.url, data, url) as app:
            screen = app.wait_for(post.title[:40], timeout=60)
            app.wait_for("Read more about", timeout=30)
            screen = app.screen_text()
            assert "By " in screen
            app.send("q")
            assert app.wait_for_exit() == 0
        store = Store.open_in(data, section_names=SECTIONS)
        try:
            stored = store.find_post(url)
            assert stored is not None and stored.read
            post_id = stored.id
        finally:
            store.close()
        # Its id works too, and another program can hand it over just the same.
        with _open(server.url, data, str(post_id), cols=80, rows=24) as app:
            app.wait_for(post.title[:30], timeout=60)
            app.send("q")
            assert app.wait_for_exit() == 0
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("999999", "no stored post is '999999'"),
        ("javascript:alert(1)", "give a post's id or its http(s) address"),
        ("file:///etc/passwd", "give a post's id or its http(s) address"),
    ],
)
def test_open_refuses_what_it_cannot_open(tmp_path: Path, spec: str, said: str) -> None:
    with _open("https://example.org/", tmp_path / "data", spec) as app:
        assert app.wait_for_exit() == 1
        assert said in app.screen_text()


def test_open_needs_a_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(tmp_path), "open", "1"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr


def test_open_a_post_of_a_site_not_read_files_it_under_that_sites_own_source(
    tmp_path: Path,
) -> None:
    # It was filed under the source read (here --site), in that site's sections and counts.
    from reader.core.urls import host_and_port
    from reader.sample.generate import generate_site

    read, other = SampleServer(), SampleServer(generate_site(6, seed=3))
    read.start()
    other.start()
    try:
        data = tmp_path / "data"
        posts = list(other.site.posts())
        urls = [other.url.rstrip("/") + p.path for p in posts[:3]]
        with _open(read.url, data, urls[0]) as app:
            app.wait_for(posts[0].title[:30], timeout=60)
            app.send("q")
            assert app.wait_for_exit() == 0
        store = Store.open_in(data, section_names=SECTIONS)
        try:
            stored = store.find_post(urls[0])
            assert stored is not None
            owner = next(s for s in store.sources() if s.id == stored.source_id)
            assert host_and_port(owner.url) == host_and_port(other.url), owner
            assert owner.posts == 1 and stored.source_id in store.bookmark_only_sources()
            assert all(host_and_port(s.url) != host_and_port(read.url) for s in store.sources())
        finally:
            store.close()
        # Once that site is read, it adopts that source; opened from the other site again, a
        # post of it goes under the source the store holds for it, not the one read.
        for site, url, post in ((other.url, urls[1], posts[1]), (read.url, urls[2], posts[2])):
            with _open(site, data, url) as app:
                app.wait_for(post.title[:30], timeout=60)
                app.send("q")
                assert app.wait_for_exit() == 0
        store = Store.open_in(data, section_names=SECTIONS)
        try:
            found = [store.find_post(url) for url in urls[1:]]
            assert [p.source_id if p else None for p in found] == [stored.source_id] * 2
            assert stored.source_id not in store.bookmark_only_sources()
        finally:
            store.close()
    finally:
        read.stop()
        other.stop()
