"""``reader sync --pages`` leaves pages that refused for good alone for a while, and says so."""

from __future__ import annotations

from pathlib import Path

from reader.core.fetch import FetchError
from reader.core.models import IncomingPost
from reader.core.refusals import REFUSED_FOR_DAYS, Refusals, refused_for_good
from reader.core.source import Source
from reader.core.store import Store
from reader.sample.server import SampleServer
from tests.support.commands import run_reader


def test_pages_that_refused_are_skipped_at_the_next_sync_and_counted(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with SampleServer() as url:
        assert run_reader("--site", url, "sync", data_dir=data).returncode == 0
        # Two posts whose pages refuse: one not found, one a list of posts, not an article.
        store = Store.open_in(data)
        try:
            refusing = [f"{url}2026/01/01/taken-down/", f"{url}category/news/"]
            store.upsert_posts(
                [IncomingPost(url=u, title="Refusing", excerpt="x") for u in refusing],
                source=Source.site(url),
            )
        finally:
            store.close()
        first = run_reader("--site", url, "sync", "--pages", data_dir=data)
        assert first.returncode == 0, first.stderr
        assert "skipped" not in first.stdout
        assert "(and 1 more)" in first.stderr  # said once, the first time
        second = run_reader("--site", url, "sync", "--pages", data_dir=data)
        assert second.returncode == 0, second.stderr
        label = url.removeprefix("http://").rstrip("/")
        assert (
            f"{label}: 0 pages read, 2 skipped (they refused in the last {REFUSED_FOR_DAYS}"
            " days: no article, too big or not found)"
        ) in second.stdout.splitlines(), second.stdout
        assert "Not an article" not in second.stderr and "404" not in second.stderr


def test_a_page_that_refused_is_not_asked_for_again(tmp_path: Path) -> None:
    # The refusing pages are not asked for again: the server's own log says so.
    data = tmp_path / "data"
    server = SampleServer()
    url = server.start()
    try:
        assert run_reader("--site", url, "sync", data_dir=data).returncode == 0
        store = Store.open_in(data)
        try:
            store.upsert_posts(
                [IncomingPost(url=f"{url}2026/01/01/taken-down/", title="Gone", excerpt="x")],
                source=Source.site(url),
            )
        finally:
            store.close()
        for _ in range(2):
            assert run_reader("--site", url, "sync", "--pages", data_dir=data).returncode == 0
        asked = [target for _m, target, _s in server.request_log if "taken-down" in target]
        assert asked == ["/2026/01/01/taken-down/"]
    finally:
        server.stop()


def test_only_answers_that_last_are_remembered() -> None:
    lasting = [FetchError("u", "no", status=404), FetchError("u", "no", status=410)]
    lasting.append(FetchError("u", "body larger than 10 MB"))
    passing = [
        FetchError("u", "server error", status=503),
        FetchError("u", "server error", status=500),
        FetchError("u", "refused", offline=True),
        FetchError("u", "too many", status=429, retry_after=5),
        FetchError("u", "timed out"),
    ]
    assert all(refused_for_good(e) for e in lasting)
    assert not any(refused_for_good(e) for e in passing)
    # Kept with the time, and forgotten once the wait is over.
    refusals = Refusals()
    refusals.note("7", now=1000.0)
    text = refusals.to_text()
    assert Refusals.from_text(text, now=1000.0 + 86400).refused("7")
    assert not Refusals.from_text(text, now=1000.0 + REFUSED_FOR_DAYS * 86400 + 1).refused("7")
    assert len(Refusals.from_text("not json")) == 0
