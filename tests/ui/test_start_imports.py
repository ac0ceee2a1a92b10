"""What the first screen does not need is not imported to draw it."""

from __future__ import annotations

import subprocess
import sys


def test_the_pickers_load_when_first_asked_for() -> None:
    # The links, topics and bookmarks pickers (and the widgets they build on) cost start-up
    # time; the reader's app module, which draws the first screen, must not load them.
    code = "import sys, reader.cli, reader.ui.app; print('reader.ui.pickers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_progress_bar_loads_with_the_first_sync_that_shows_it() -> None:
    # Hidden at start (and never shown by --no-refresh), its module and the clock and ETA
    # modules it brings need not be imported to draw the first screen.
    module = "textual.widgets._progress_bar"
    code = f"import sys, reader.cli, reader.ui.app; print({module!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_html_entities_load_with_the_first_text_decoded() -> None:
    # The entity table is a few thousand names: the first screen decodes no text.
    code = "import sys, reader.cli, reader.ui.app; print('html' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_upgrade_from_the_first_schema_loads_only_to_upgrade() -> None:
    # Stores of schema 1 are upgraded once; every other start need not import the upgrade.
    module = "reader.core.store_upgrade"
    code = f"import sys, reader.cli, reader.ui.app; print({module!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
