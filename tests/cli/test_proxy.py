"""``reader sync`` through an HTTP proxy (``http_proxy``), as a real process.

The sites here have names that resolve nowhere (``.example.test``), and the proxy forwards
every request to a local server: a sync succeeds only if its requests really went through the
proxy, and the proxy's log says which did.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.sample.server import SampleServer
from tests.support.proxy_server import ProxyServer

ROOT = Path(__file__).resolve().parents[2]
SITE = "http://news.example.test/"


@pytest.fixture(scope="module")
def site() -> Iterator[SampleServer]:
    server = SampleServer()
    with server:
        yield server


def _reader(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    settings = {
        key: value for key, value in os.environ.items() if not key.lower().endswith("_proxy")
    }
    return subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**settings, **env},
    )


def test_a_site_is_read_through_the_proxy(site: SampleServer, tmp_path: Path) -> None:
    with ProxyServer(("127.0.0.1", site.port)) as proxy:
        synced = _reader(tmp_path, "--site", SITE, "sync", http_proxy=proxy.url)
        assert synced.returncode == 0, synced.stderr
        # The feed, the REST API's terms and the archive all went through it. In no set
        # order: the sync asks whether the API answers while it reads the feed.
        assert SITE + "feed/" in proxy.seen, proxy.seen
        assert any("/wp-json/wp/v2/categories" in seen for seen in proxy.seen), proxy.seen
        assert any("/wp-json/wp/v2/posts" in seen for seen in proxy.seen), proxy.seen
    listed = _reader(tmp_path, "--site", SITE, "list")
    assert "Kidney cells" in listed.stdout


def test_no_proxy_sends_a_host_direct(site: SampleServer, tmp_path: Path) -> None:
    with ProxyServer(("127.0.0.1", site.port)) as proxy:
        synced = _reader(
            tmp_path, "--site", SITE, "sync", http_proxy=proxy.url, no_proxy=".example.test"
        )
        assert synced.returncode == 1
        assert "name not found" in synced.stderr
        assert proxy.seen == []


def test_loopback_sites_are_never_proxied(site: SampleServer, tmp_path: Path) -> None:
    # A proxy setting that points nowhere must not break the demo, or any site on 127.0.0.1.
    synced = _reader(tmp_path, "--site", site.url, "sync", http_proxy="http://127.0.0.1:9")
    assert synced.returncode == 0, synced.stderr


def test_a_dead_proxy_is_named_without_its_password(tmp_path: Path) -> None:
    with ProxyServer(("127.0.0.1", 9)) as proxy:
        dead = proxy.url
    synced = _reader(
        tmp_path,
        "--feed",
        SITE + "feed/",
        "sync",
        HTTPS_PROXY="http://nobody:hunter2@127.0.0.1:9",
        http_proxy=dead.replace("//", "//nobody:hunter2@"),
    )
    assert synced.returncode == 1
    assert f"connection refused, through the proxy {dead}" in synced.stderr, synced.stderr
    assert "hunter2" not in synced.stderr


def test_a_proxy_that_wants_a_password_says_so(tmp_path: Path) -> None:
    with ProxyServer(("127.0.0.1", 9), refuse=407) as proxy:
        synced = _reader(tmp_path, "--feed", SITE + "feed/", "sync", http_proxy=proxy.url)
    assert synced.returncode == 1
    assert "the proxy asks for a user name and password (407)" in synced.stderr, synced.stderr
    assert f"through the proxy {proxy.url}" in synced.stderr


def test_a_proxy_written_without_its_scheme_is_used(site: SampleServer, tmp_path: Path) -> None:
    # "host:port", as many people write it and as curl, wget and pip take it.
    with ProxyServer(("127.0.0.1", site.port)) as proxy:
        setting = proxy.url.removeprefix("http://")
        synced = _reader(tmp_path, "--feed", SITE + "feed/", "sync", http_proxy=setting)
        assert synced.returncode == 0, synced.stderr
        assert proxy.seen[0] == SITE + "feed/"


def test_an_ignored_setting_is_logged_without_its_password(tmp_path: Path) -> None:
    with ProxyServer(("127.0.0.1", 9)) as proxy:
        _reader(
            tmp_path,
            "--debug",
            "--feed",
            proxy.url + "/feed/",
            "sync",
            all_proxy="socks5://bob:hunter2@127.0.0.1:1080",
        )
    log = (tmp_path / "reader.log").read_text(encoding="utf-8")
    assert "all_proxy=socks5://127.0.0.1:1080" in log
    assert "hunter2" not in log
