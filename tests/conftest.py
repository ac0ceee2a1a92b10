"""Shared fixtures: every test runs with its own data folder and no animations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["TEXTUAL_ANIMATIONS"] = "none"
os.environ.pop("NO_COLOR", None)


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
