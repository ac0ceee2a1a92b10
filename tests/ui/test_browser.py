"""Where `o` sends a link: the user's own browser, never a program on a server."""

from __future__ import annotations

import webbrowser

import pytest

from reader.ui import browser

URL = "https://stemcell.example.org/news/a-post/"


class _App:
    """Stands in for the Textual app: records what it was asked to open."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, bool]] = []

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append((url, new_tab))


@pytest.fixture
def no_local_browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    started: list[str] = []

    def start(url: str, new: int = 0, autoraise: bool = True) -> bool:
        started.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", start)
    for name in ("SSH_CONNECTION", "SSH_TTY", "READER_REMOTE", "TEXTUAL_DRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    return started


def test_in_a_browser_tab_the_link_goes_to_that_browser(
    monkeypatch: pytest.MonkeyPatch, no_local_browser: list[str]
) -> None:
    # textual-serve passes the server's whole environment on, DISPLAY included.
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    app = _App()
    assert browser.open_in_browser(app, URL)  # type: ignore[arg-type]
    assert app.opened == [(URL, True)]
    assert no_local_browser == []
    assert browser.is_remote()


def test_over_ssh_nothing_starts_and_the_caller_copies(
    monkeypatch: pytest.MonkeyPatch, no_local_browser: list[str]
) -> None:
    monkeypatch.setenv("READER_REMOTE", "1")
    app = _App()
    assert not browser.open_in_browser(app, URL)  # type: ignore[arg-type]
    assert app.opened == [] and no_local_browser == []


def test_locally_the_local_browser_opens(no_local_browser: list[str]) -> None:
    app = _App()
    assert browser.open_in_browser(app, URL)  # type: ignore[arg-type]
    assert no_local_browser == [URL] and app.opened == []
    assert not browser.open_in_browser(app, "javascript:alert(1)")  # type: ignore[arg-type]
