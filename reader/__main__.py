"""``python -m reader``: the same as the ``reader`` command."""

from __future__ import annotations

import sys

from reader.cli import main

sys.exit(main())
