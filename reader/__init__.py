"""A keyboard-first terminal news reader for WordPress sites and RSS/Atom feeds."""

from __future__ import annotations

__version__ = "0.1.0"
