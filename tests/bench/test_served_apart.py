"""The refresh figures' site, served by a process of its own: the same site, its log, its end."""

from __future__ import annotations

import httpx

from bench.sites import ServedApart, make_site
from bench.syncing import server_floor


def test_it_serves_make_sites_posts_and_logs_each_target_in_order() -> None:
    expected = make_site(30).site.posts()[0]
    with ServedApart(30) as served:
        assert served.url.startswith("http://127.0.0.1:")
        assert served.targets() == []
        first = httpx.get(served.base + "/wp-json/wp/v2/posts?per_page=1", timeout=30)
        httpx.get(served.base + "/feed/", timeout=30)
        assert first.status_code == 200
        assert first.json()[0]["id"] == expected.id
        assert served.targets() == ["/wp-json/wp/v2/posts?per_page=1", "/feed/"]
        # The floor replays targets against this server (and is logged like any request).
        assert server_floor(served.base, ["/feed/"], passes=1) > 0
        assert served.targets()[-1] == "/feed/"
        process = served._process
    assert process is not None
    assert process.returncode == 0  # stopped by its stdin's end, not killed
