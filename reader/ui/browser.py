"""Opening links outside the reader: the local browser, or over SSH, the clipboard.

Over SSH there is no browser on the reader's side of the link, and starting one on the server
would be wrong (and has been a security bug in other readers), so the URL is shown and copied
with OSC 52 instead. The URL is never given to a shell: ``webbrowser`` runs the browser with an
argument list.
"""

from __future__ import annotations

import os
import sys
import webbrowser

from reader.core.urls import is_followable


def is_remote() -> bool:
    """True over SSH, in ``reader serve``, or on a machine with no display to show a browser."""
    if any(os.environ.get(v) for v in ("SSH_CONNECTION", "SSH_TTY", "READER_REMOTE")):
        return True
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def open_in_browser(url: str) -> bool:
    """Open an http(s) URL in the local browser; False when that is not possible here."""
    if not is_followable(url) or is_remote():
        return False
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
