"""Shared fixtures: every test runs with its own data folder and no animations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import textual.constants as textual_constants

from reader.core.store import Store

pytest_plugins = ["tests.support.wordpress.fixtures"]

os.environ["TEXTUAL_ANIMATIONS"] = "none"
os.environ.pop("NO_COLOR", None)
# Textual read the variable when it was first imported, which pytest-textual-snapshot's
# plugin did before this file ran: the README's bare `pytest` animated every app.
textual_constants.TEXTUAL_ANIMATIONS = "none"  # type: ignore[misc]


@pytest.fixture(autouse=True)
def _own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real data and config folders."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(scope="session")
def sample_site() -> Iterator[str]:
    """The bundled sample site, served on 127.0.0.1 for the whole session (read-only use)."""
    from reader.sample.server import SampleServer

    server = SampleServer()
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def template(sample_site: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store synced from the sample site once per session; tests use copies of it."""
    from tests.support.app_fixtures import synced_store

    return synced_store(sample_site, tmp_path_factory.mktemp("synced"))


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the synced store (a test file may define its own ``store``)."""
    from tests.support.app_fixtures import copy_store

    store = copy_store(template, tmp_path / "mine")
    yield store
    store.close()
