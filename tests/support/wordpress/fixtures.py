"""Pytest fixtures for the real WordPress and for the three sites the reader is tested against.

The WordPress starts once per session, when the first test asks for it; the session's sites
(classic and block theme) are shared and read-only. A test that changes a site asks for its
own copy (``own_site``), which is stopped after it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.core.store import Store
from tests.support.sites import KINDS, Kind, ReadSite
from tests.support.wordpress.harness import BLOCK, CLASSIC, WordPress, WordPressSite, unavailable

REQUIRE = "READER_REQUIRE_WORDPRESS"
"""Set to 1 (CI does) to make a missing WordPress a failure instead of a skip."""

_started: list[WordPress] = []


def require_wordpress() -> None:
    """Skip (or, with READER_REQUIRE_WORDPRESS=1, fail) when WordPress cannot run here."""
    reason = unavailable()
    if reason is None:
        return
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{REQUIRE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPress]:
    """MariaDB and the seeded WordPress, for the whole session."""
    require_wordpress()
    harness = WordPress()
    harness.start()
    _started.append(harness)
    try:
        yield harness
    finally:
        harness.stop()


@pytest.fixture(scope="session")
def wordpress_classic(wordpress: WordPress) -> WordPressSite:
    """The seeded site with Twenty Twenty-One (a classic theme), shared: do not change it."""
    return wordpress.site(CLASSIC)


@pytest.fixture(scope="session")
def wordpress_block(wordpress: WordPress) -> WordPressSite:
    """The seeded site with Twenty Twenty-Three (a block theme), shared: do not change it."""
    return wordpress.site(BLOCK)


@pytest.fixture
def wordpress_sites(wordpress: WordPress) -> Iterator[Callable[..., WordPressSite]]:
    """Make sites of your own (``wordpress_sites(BLOCK, rest="locked")``); stopped after."""
    made: list[WordPressSite] = []

    def make(theme: str = CLASSIC, **options: object) -> WordPressSite:
        site = wordpress.site(theme, **options)  # type: ignore[arg-type]
        made.append(site)
        return site

    try:
        yield make
    finally:
        for site in made:
            site.stop()


# Function-scoped, though what it hands out lives for the session: a session-scoped
# parametrized fixture would make pytest reorder the whole run by parameter.
@pytest.fixture(params=KINDS, ids=["sample", "wp-classic", "wp-block"])
def read_site(request: pytest.FixtureRequest) -> ReadSite:
    """Each of the three sites in turn, shared by the session: read it, never change it."""
    kind: Kind = request.param
    if kind == "sample":
        return ReadSite("sample", request.getfixturevalue("sample_site"))
    site: WordPressSite = request.getfixturevalue(
        "wordpress_classic" if kind == "classic" else "wordpress_block"
    )
    return ReadSite(kind, site.url, wordpress=site)


@pytest.fixture(params=KINDS, ids=["sample", "wp-classic", "wp-block"])
def own_site(request: pytest.FixtureRequest) -> Iterator[ReadSite]:
    """Each of the three sites in turn, a fresh copy this test may change."""
    kind: Kind = request.param
    if kind == "sample":
        from reader.sample.server import SampleServer

        server = SampleServer()
        server.start()
        try:
            yield ReadSite("sample", server.url, sample=server)
        finally:
            server.stop()
        return
    make: Callable[..., WordPressSite] = request.getfixturevalue("wordpress_sites")
    site = make(CLASSIC if kind == "classic" else BLOCK)
    yield ReadSite(kind, site.url, wordpress=site)


_synced: dict[str, Path] = {}


@pytest.fixture
def site_store(
    read_site: ReadSite, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> Iterator[Store]:
    """A private copy of a store synced once per session from ``read_site``."""
    from tests.support.app_fixtures import copy_store, synced_store

    if read_site.url not in _synced:
        folder = tmp_path_factory.mktemp(f"synced-{read_site.name}")
        _synced[read_site.url] = synced_store(read_site.url, folder)
    store = copy_store(_synced[read_site.url], tmp_path / "mine")
    yield store
    store.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how long the WordPress took to start, so its cost stays visible."""
    for harness in _started:
        steps = ", ".join(f"{what} {seconds:.2f} s" for what, seconds in harness.timings.items())
        total = sum(harness.timings.values())
        terminalreporter.write_line(f"WordPress: start+seed {total:.1f} s ({steps})")
