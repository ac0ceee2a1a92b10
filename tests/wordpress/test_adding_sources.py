"""``reader sources add`` given an article's address, on the sample site and the real WordPress
(both themes): the site is what is added, and a site already listed is not added again."""

from __future__ import annotations

import tomllib
from pathlib import Path

from reader.core.paths import config_file
from reader.core.store import Store
from tests.support.commands import run_reader
from tests.support.sites import ReadSite


def _listed_sites() -> list[object]:
    entries = tomllib.loads(config_file().read_text(encoding="utf-8")).get("sources", [])
    return [entry.get("site") for entry in entries]


def test_an_articles_address_adds_its_site_once(
    read_site: ReadSite, site_store: Store, tmp_path: Path
) -> None:
    # 'sources add http://host/2025/05/06/some-post/' added the article as a WordPress site
    # (its comments feed at .../feed/ looked like one), beside the site already listed, and
    # syncing it found nothing.
    article = next(p for p in site_store.posts_in() if p.url != read_site.url).url
    assert article.startswith(read_site.url) and article != read_site.url
    data = tmp_path / "data"
    added = run_reader("sources", "add", article, data_dir=data)
    assert added.returncode == 0, added.stderr
    assert f"WordPress site {read_site.url})" in added.stdout, added.stdout
    assert _listed_sites()[-1] == read_site.url
    again = run_reader("sources", "add", article, data_dir=data)
    assert again.returncode == 1 and "already a source" in again.stderr, again.stderr
    assert _listed_sites().count(read_site.url) == 1
