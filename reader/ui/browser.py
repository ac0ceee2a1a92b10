"""Opening links outside the reader: the user's own browser, or the clipboard when there is none.

Locally the link opens in the local browser. In a browser tab served by ``reader serve web`` it
opens in that same browser, through textual-serve, never on the server. Over SSH there is no
browser on the reader's side of the link, and starting one on the server would be wrong (and has
been a security bug in other readers), so the URL is shown and copied with OSC 52 instead. The
URL is never given to a shell: ``webbrowser`` runs the browser with an argument list.
"""

from __future__ import annotations

import os
import sys

from textual.app import App

from reader.core.urls import is_followable


def served_to_a_browser() -> bool:
    """True when textual-serve drives this reader from a browser tab."""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def is_remote() -> bool:
    """True over SSH, in ``reader serve``, or on a machine with no display to show a browser."""
    if served_to_a_browser():
        return True
    if any(os.environ.get(v) for v in ("SSH_CONNECTION", "SSH_TTY", "READER_REMOTE")):
        return True
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def open_in_browser(app: App[object], url: str) -> bool:
    """Open an http(s) URL in the user's own browser; False when there is none to reach."""
    if not is_followable(url):
        return False
    if served_to_a_browser():
        # The web driver hands the URL to the page, which opens a tab on the user's machine.
        app.open_url(url, new_tab=True)
        return True
    if is_remote():
        return False
    # Imported here: start-up needs no browser, and webbrowser looks for one as it loads.
    import webbrowser

    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
