"""Hosting the reader for others: `reader serve ssh` and `reader serve web`.

Each module here imports its optional extra (asyncssh, textual-serve) only when a server is
actually started, so building the command line stays cheap.
"""

from __future__ import annotations

#: Exit status for a server that could not start (missing extra, unreadable key, bad option).
SERVE_FAILED = 2


class MissingExtra(RuntimeError):
    """An optional dependency a server needs is not installed; the message says how to add it."""
