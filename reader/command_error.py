"""How a ``reader`` command fails: one line on stderr and exit status 1, never a traceback.

Its own module so that ``reader.cli`` and the modules of its subcommands (``bookmarks_cli``)
both use it without importing each other.
"""

from __future__ import annotations


class CommandError(Exception):
    """A problem to report in one line, without a traceback."""
